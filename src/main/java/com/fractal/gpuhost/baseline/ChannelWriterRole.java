package com.fractal.gpuhost.baseline;

import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.SsmNames;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The role in a workload account through which the build account's release command writes that account's own
 * copy of the release channels (same names as in the build account), so that workloads keep reading channels
 * by name, with {@code resolve:ssm:}, even when the build account is unreachable.
 *
 * <p>Only the build account's release principals may assume it: the account principal alone would let any
 * role of the build account in, so {@code aws:PrincipalArn} narrows it to the CI deploy role and the roles the
 * project names. It may read and write only the channel parameters of its own account, and look up images
 * (ec2:DescribeImages has no resource-level permission).
 */
public final class ChannelWriterRole extends Construct {
    /**
     * What a promotion or a rollback does to a channel parameter: read its history, write it, tag it, and delete
     * one that its first promotion created when that promotion fails elsewhere (all or none).
     */
    public static final List<String> PARAMETER_ACTIONS = List.of("ssm:GetParameter", "ssm:GetParameters",
            "ssm:GetParameterHistory", "ssm:PutParameter", "ssm:AddTagsToResource", "ssm:DeleteParameter");

    private final Role role;

    public ChannelWriterRole(final Construct scope, final String id, final ResourceNames names, final SsmNames ssm,
            final String buildAccountId) {
        super(scope, id);
        Stack stack = Stack.of(this);
        List<String> releasePrincipals = names.releasePrincipalRoleNamePatterns().stream()
                .map(pattern -> "arn:" + stack.getPartition() + ":iam::" + buildAccountId + ":role/" + pattern)
                .toList();
        String channels = "arn:" + stack.getPartition() + ":ssm:*:" + stack.getAccount() + ":parameter"
                + ssm.prefix() + "/image/*/channels/*";
        role = Role.Builder.create(this, "Role")
                .roleName(names.releaseChannelWriterRole())
                .description("The build account's release command writes this account's release channels")
                .assumedBy(new AccountPrincipal(buildAccountId).withConditions(Map.of("ArnLike",
                        Map.of("aws:PrincipalArn", releasePrincipals))))
                .inlinePolicies(Map.of("ReleaseChannels", PolicyDocument.Builder.create().statements(List.of(
                        PolicyStatement.Builder.create().sid("ChannelParameters").actions(PARAMETER_ACTIONS)
                                .resources(List.of(channels)).build(),
                        PolicyStatement.Builder.create().sid("FindImages").actions(List.of("ec2:DescribeImages"))
                                .resources(List.of("*")).build())).build()))
                .build();
        AcceptedRisk.CHANNEL_WRITER_SCOPED_WILDCARDS.acceptOn(role);
    }

    public Role role() {
        return role;
    }
}
