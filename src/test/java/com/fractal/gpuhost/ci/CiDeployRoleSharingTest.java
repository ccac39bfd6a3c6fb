package com.fractal.gpuhost.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.StackMessages;
import com.fractal.gpuhost.TestApps;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * With sharing settings, the deploy role may also assume the channel writer role in the workload accounts,
 * read AMIs' launch permissions and (for OUs or the organization) list the organization's accounts; without
 * them it has none of these.
 */
class CiDeployRoleSharingTest {
    static final String REPO = CiDeployRoleStackTest.REPO;
    static final String WRITER = "role/fractal-release-channel-writer";
    static final List<String> SHARING_SIDS = List.of(DeployRolePermissions.SID_CHANNEL_WRITERS,
            DeployRolePermissions.SID_LAUNCH_PERMISSIONS, DeployRolePermissions.SID_ORGANIZATION);
    /**
     * Two single accounts, one shared with and one copied to, and nothing of the organization; in one region, as
     * these statements name no region. CiDeployRoleStackSetTest's existing OIDC provider is set here too.
     */
    static final Map<String, Object> NAMED_ACCOUNTS = Map.of("githubRepo", REPO, "shareWithAccounts",
            List.of("222222222222"), "copyToAccounts", List.of("333333333333"), "activeRegions", "us-east-1",
            "githubOidcProviderArn", CiDeployRoleStackSetTest.PROVIDER);

    private static Stack roleStack(final Map<String, Object> context) {
        return TestApps.synthesize(context).stacks().stream().filter(CiDeployRoleStack.class::isInstance).findFirst()
                .orElseThrow();
    }

    /** Each statement's actions and resources by Sid, read as a person reads them. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<List<String>>> statements(final Stack stack) {
        Map<String, Object> policy = (Map<String, Object>) Template.fromStack(stack).findResources("AWS::IAM::Policy")
                .values().iterator().next().get("Properties");
        Map<String, List<List<String>>> bySid = new LinkedHashMap<>();
        for (Map<String, Object> statement : (List<Map<String, Object>>) ((Map<String, Object>) policy
                .get("PolicyDocument")).get("Statement")) {
            bySid.put((String) statement.get("Sid"), List.of(TemplateText.list(statement.get("Action")),
                    TemplateText.list(statement.get("Resource"))));
        }
        return bySid;
    }

    @Test
    void withoutSharingSettingsTheRoleReachesNoOtherAccount() {
        Map<String, List<List<String>>> statements = statements(roleStack(CiDeployRoleStackTest.CONTEXT));
        SHARING_SIDS.forEach(sid -> assertTrue(!statements.containsKey(sid), sid));
        statements.values().forEach(statement -> statement.get(1).forEach(resource -> assertTrue(
                !resource.contains(WRITER), resource)));
    }

    @Test
    void namedAccountsGetExactlyTheirWriterRoleAndNoOrganizationAccess() {
        Map<String, List<List<String>>> statements = statements(roleStack(NAMED_ACCOUNTS));
        assertEquals(List.of(List.of("sts:AssumeRole"), List.of(
                "arn:${AWS::Partition}:iam::222222222222:" + WRITER,
                "arn:${AWS::Partition}:iam::333333333333:" + WRITER)),
                statements.get(DeployRolePermissions.SID_CHANNEL_WRITERS));
        assertEquals(List.of(List.of("ec2:DescribeImageAttribute"), List.of("*")),
                statements.get(DeployRolePermissions.SID_LAUNCH_PERMISSIONS));
        assertTrue(!statements.containsKey(DeployRolePermissions.SID_ORGANIZATION), statements.keySet()::toString);
    }

    /** OUs besides single accounts: the OUs' accounts are known only at release time, so any account's role. */
    @Test
    void anOuReachesTheWriterRoleInAnyAccountAndListsTheOrganizationReadOnly() {
        Stack stack = roleStack(TestApps.EVERY_STACK);
        Map<String, List<List<String>>> statements = statements(stack);
        assertEquals(List.of(List.of("sts:AssumeRole"), List.of("arn:${AWS::Partition}:iam::*:" + WRITER)),
                statements.get(DeployRolePermissions.SID_CHANNEL_WRITERS));
        assertEquals(List.of(List.of("organizations:DescribeOrganization", "organizations:ListAccounts",
                "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"), List.of("*")),
                statements.get(DeployRolePermissions.SID_ORGANIZATION));
        assertEquals(List.of(), StackMessages.errors(stack, "AwsSolutions-"),
                "the role's wildcard is an accepted risk with its reason, not an unsuppressed finding");
    }
}
