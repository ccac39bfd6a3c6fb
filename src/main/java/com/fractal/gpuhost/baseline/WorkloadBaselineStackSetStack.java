package com.fractal.gpuhost.baseline;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.settings.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.cloudformation.CfnStackSet;
import software.constructs.Construct;

/**
 * In the build account (the StackSets delegated administrator), in the build region: the StackSet that puts
 * the workload baseline into every workload account and active region, and into accounts that join the
 * targeted OUs later (automatic deployment). Made only when the AMIs are shared or copied.
 */
public final class WorkloadBaselineStackSetStack extends Stack {
    /** Up to a quarter of the target accounts at once in each region; regions side by side (they share nothing). */
    static final int MAX_CONCURRENT_PERCENTAGE = 25;

    private final CfnStackSet stackSet;

    public WorkloadBaselineStackSetStack(final Construct scope, final StackProps props, final Settings settings,
            final WorkloadBaselineTemplate template) {
        super(scope, settings.names().workloadBaselineStack(), props);
        ProjectTags.apply(this, settings.names(), "workload-baseline");
        WorkloadTargets targets = WorkloadTargets.of(settings.imagePipeline().sharing());
        stackSet = CfnStackSet.Builder.create(this, "StackSet")
                .stackSetName(settings.names().workloadBaselineStackSet())
                .description(template.stack().getTemplateOptions().getDescription())
                .permissionModel("SERVICE_MANAGED")
                .callAs("DELEGATED_ADMIN")
                // Accounts that leave the targeted OUs lose the baseline: a left-behind VPC with world-open
                // streaming ports and a role the build account can assume would be managed by no one.
                .autoDeployment(CfnStackSet.AutoDeploymentProperty.builder()
                        .enabled(true).retainStacksOnAccountRemoval(false).build())
                .capabilities(List.of("CAPABILITY_NAMED_IAM"))
                // Non-conflicting operations run side by side; conflicting ones queue instead of failing.
                .managedExecution(Map.of("Active", true))
                // A bad template stops at the first failed account instead of reaching them all.
                .operationPreferences(CfnStackSet.OperationPreferencesProperty.builder()
                        .regionConcurrencyType("PARALLEL")
                        .maxConcurrentPercentage(MAX_CONCURRENT_PERCENTAGE)
                        .failureToleranceCount(0)
                        .build())
                .parameters(List.of(CfnStackSet.ParameterProperty.builder()
                        .parameterKey(WorkloadBaselineStack.BUILD_ACCOUNT_PARAMETER)
                        .parameterValue(Aws.ACCOUNT_ID).build(), CfnStackSet.ParameterProperty.builder()
                        .parameterKey(WorkloadBaselineStack.WRITER_ROLE_REGION_PARAMETER)
                        .parameterValue(settings.buildRegion()).build()))
                .stackInstancesGroup(targets.isEmpty() ? null : instanceGroups(targets, settings.activeRegions()))
                .templateBody(template.body())
                .build();
        if (!targets.unreachable().isEmpty()) {
            Annotations.of(this).addWarningV2("fractal:workloadBaselineUnreachable", "The workload baseline does not "
                    + "reach " + String.join("; ", targets.unreachable()) + ": set organizationRootId (aws "
                    + "organizations list-roots) so that the StackSet reaches them through the organization's root");
        }
        CfnOutput.Builder.create(this, "StackSetId").description("The StackSet of the workload baseline")
                .value(stackSet.getAttrStackSetId()).build();
    }

    public CfnStackSet stackSet() {
        return stackSet;
    }

    private static List<Object> instanceGroups(final WorkloadTargets targets, final List<String> regions) {
        List<Object> groups = new ArrayList<>();
        List<String> buildAccount = List.of(Aws.ACCOUNT_ID);
        if (targets.wholeOrganization()) {
            groups.add(group(regions, CfnStackSet.DeploymentTargetsProperty.builder()
                    .organizationalUnitIds(List.of(targets.rootId().orElseThrow()))
                    .accounts(buildAccount).accountFilterType("DIFFERENCE").build()));
        }
        if (!targets.organizationalUnitIds().isEmpty()) {
            groups.add(group(regions, CfnStackSet.DeploymentTargetsProperty.builder()
                    .organizationalUnitIds(targets.organizationalUnitIds())
                    .accounts(buildAccount).accountFilterType("DIFFERENCE").build()));
        }
        if (!targets.accounts().isEmpty()) {
            groups.add(group(regions, CfnStackSet.DeploymentTargetsProperty.builder()
                    .organizationalUnitIds(List.of(targets.rootId().orElseThrow()))
                    .accounts(targets.accounts()).accountFilterType("INTERSECTION").build()));
        }
        return groups;
    }

    private static CfnStackSet.StackInstancesProperty group(final List<String> regions,
            final CfnStackSet.DeploymentTargetsProperty targets) {
        return CfnStackSet.StackInstancesProperty.builder().regions(regions).deploymentTargets(targets).build();
    }
}
