package com.fractal.gpuhost.image;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.imagebuilder.CfnLifecyclePolicy;
import software.constructs.Construct;

/**
 * Keeps the newest N images and, for older ones, deregisters their AMIs and deletes their snapshots in
 * every region they were copied to. The newest image, the one the SSM parameters point to, is always
 * among the N kept (N is at least 1). AMIs that carry a release channel's held-by tag (a channel holds
 * them, or held them within its last few promotions) are excluded, so a rollback always finds its AMI.
 */
public final class ImageRetention extends Construct {
    private final Role role;

    public ImageRetention(final Construct scope, final String id, final String name, final int keep,
            final Map<String, String> imageTags, final Map<String, String> heldByTags) {
        super(scope, id);
        role = Role.Builder.create(this, "ExecutionRole")
                .assumedBy(new ServicePrincipal("imagebuilder.amazonaws.com"))
                .description("Lets Image Builder's lifecycle policy deregister old GPU host AMIs and snapshots")
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName(
                        "service-role/EC2ImageBuilderLifecycleExecutionPolicy")))
                .build();
        CfnLifecyclePolicy.Builder.create(this, "Policy")
                .name(name)
                .description("Keep the newest " + keep + " GPU host images and every AMI a release channel holds; remove "
                        + "other AMIs and snapshots everywhere")
                .executionRole(role.getRoleArn())
                .resourceType("AMI_IMAGE")
                .status("ENABLED")
                .policyDetails(List.of(CfnLifecyclePolicy.PolicyDetailProperty.builder()
                        .action(CfnLifecyclePolicy.ActionProperty.builder()
                                .type("DELETE")
                                .includeResources(CfnLifecyclePolicy.IncludeResourcesProperty.builder()
                                        .amis(true)
                                        .snapshots(true)
                                        .build())
                                .build())
                        .filter(CfnLifecyclePolicy.FilterProperty.builder().type("COUNT").value(keep).build())
                        .exclusionRules(CfnLifecyclePolicy.ExclusionRulesProperty.builder()
                                .amis(CfnLifecyclePolicy.AmiExclusionRulesProperty.builder().tagMap(heldByTags).build())
                                .build())
                        .build()))
                .resourceSelection(CfnLifecyclePolicy.ResourceSelectionProperty.builder().tagMap(imageTags).build())
                .build();
    }

    public Role role() {
        return role;
    }
}
