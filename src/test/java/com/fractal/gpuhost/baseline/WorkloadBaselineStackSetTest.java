package com.fractal.gpuhost.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.StackMessages;
import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.settings.InvalidSettingsException;
import com.fractal.gpuhost.settings.ResourceNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.assertions.Template;

/**
 * The workload baseline's StackSet as an auditor reads it: where it deploys (OU IDs, the root, the accounts
 * filter, the active regions), how (service-managed, as delegated administrator, automatic deployment), and what
 * (the embedded template: environment-agnostic, no assets, the same network as the build account's, the
 * channel writer role with its exact trust and permissions). cdk-nag, cfn-lint and Control Tower's controls over
 * the baseline and the StackSet's stack: GatesTest, over the same configuration.
 */
class WorkloadBaselineStackSetTest {
    static final String ORG = TestApps.ORGANIZATION;
    static final String SHARED_ACCOUNT = TestApps.SHARED_ACCOUNT;
    static final String COPY_ACCOUNT = TestApps.COPY_ACCOUNT;
    static final String ROOT = TestApps.ORGANIZATION_ROOT;
    static final ObjectMapper JSON = new ObjectMapper();

    private static TestApps.Synthesized shared;
    private static Map<String, Object> stackSet;
    private static JsonNode body;
    private static String bodyText;

    @BeforeAll
    static void synthesize() throws IOException {
        shared = TestApps.synthesize(TestApps.EVERY_STACK);
        stackSet = properties(shared);
        bodyText = (String) stackSet.get("TemplateBody");
        body = JSON.readTree(bodyText);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(final TestApps.Synthesized app) {
        Map<String, Map<String, Object>> sets = Template.fromStack(app.stack(app.settings().names()
                .workloadBaselineStack())).findResources("AWS::CloudFormation::StackSet");
        assertEquals(1, sets.size());
        return (Map<String, Object>) sets.values().iterator().next().get("Properties");
    }

    private static Map<String, Object> targets(final String... ouIds) {
        return Map.of("OrganizationalUnitIds", List.of(ouIds), "Accounts", List.of(Map.of("Ref", "AWS::AccountId")),
                "AccountFilterType", "DIFFERENCE");
    }

    @Test
    void serviceManagedFromTheDelegatedAdministratorWithAutomaticDeployment() {
        assertEquals("SERVICE_MANAGED", stackSet.get("PermissionModel"));
        assertEquals("DELEGATED_ADMIN", stackSet.get("CallAs"));
        assertEquals(Map.of("Enabled", true, "RetainStacksOnAccountRemoval", false), stackSet.get("AutoDeployment"));
        assertEquals(List.of("CAPABILITY_NAMED_IAM"), stackSet.get("Capabilities"));
        assertEquals(Map.of("Active", true), stackSet.get("ManagedExecution"));
        assertEquals(Map.of("RegionConcurrencyType", "PARALLEL", "MaxConcurrentPercentage", 25,
                "FailureToleranceCount", 0), stackSet.get("OperationPreferences"));
        assertEquals(List.of(Map.of("ParameterKey", WorkloadBaselineStack.BUILD_ACCOUNT_PARAMETER,
                "ParameterValue", Map.of("Ref", "AWS::AccountId")), Map.of("ParameterKey",
                WorkloadBaselineStack.WRITER_ROLE_REGION_PARAMETER, "ParameterValue", shared.settings().buildRegion())),
                stackSet.get("Parameters"));
        assertEquals("fractal-workload-baseline", stackSet.get("StackSetName"));
        Stack stack = shared.stack(shared.settings().names().workloadBaselineStack());
        assertEquals(shared.settings().buildRegion(), stack.getRegion());
    }

    @Test
    void targetsTheOusByIdAndSingleAccountsThroughTheRootInEveryActiveRegionButNeverTheBuildAccount() {
        List<String> regions = shared.settings().activeRegions();
        assertEquals(List.of(
                Map.of("Regions", regions, "DeploymentTargets", targets("ou-ab12-11111111", "ou-ab12-22222222")),
                Map.of("Regions", regions, "DeploymentTargets", Map.of("OrganizationalUnitIds", List.of(ROOT),
                        "Accounts", List.of(SHARED_ACCOUNT, COPY_ACCOUNT), "AccountFilterType", "INTERSECTION"))),
                stackSet.get("StackInstancesGroup"));
    }

    /** Shared with the organization besides OUs and single accounts: the root alone reaches all of them. */
    @Test
    void theWholeOrganizationIsItsRootAlone() {
        TestApps.Synthesized org = TestApps.synthesize(TestApps.SHARED_WITH_THE_ORGANIZATION);
        assertEquals(List.of(Map.of("Regions", org.settings().activeRegions(), "DeploymentTargets", targets(ROOT))),
                properties(org).get("StackInstancesGroup"));
    }

    @Test
    void withoutARootIdSingleAccountsAreNotReachedAndSynthesisSaysSo() {
        TestApps.Synthesized accounts = TestApps.synthesize(TestApps.CONFIGURED_ONE_REGION);
        assertFalse(properties(accounts).containsKey("StackInstancesGroup"));
        Stack stack = accounts.stack(accounts.settings().names().workloadBaselineStack());
        assertEquals(1, StackMessages.warnings(stack, "shareWithAccounts/copyToAccounts " + SHARED_ACCOUNT
                + ".*set organizationRootId").size());
    }

    @Test
    void noStackSetAndNoBaselineTemplateWithoutSharing() {
        TestApps.Synthesized defaults = TestApps.synthesize(Map.of());
        assertTrue(defaults.stacks().stream().noneMatch(WorkloadBaselineStackSetStack.class::isInstance));
        assertTrue(defaults.stacks().stream().map(Stack::getStackName).noneMatch(name -> name.contains("Workload")));
        assertTrue(defaults.stacks().get(0).getNode().getRoot().getNode().getChildren().stream()
                .noneMatch(Stage::isStage));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab12", "r-AB12", "r-ab", "ou-ab12-11111111", "arn:aws:organizations::111111111111:root/o-a1b2c3d4e5/r-ab12"})
    void aMalformedRootIdIsRefusedBeforeSynthesisNamingTheSetting(final String root) {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> TestApps.settings(Map.of("shareWithOrganization", ORG, "organizationRootId", root)));
        assertEquals(List.of("organizationRootId: \"" + root + "\" is not an organization root ID; allowed: empty, "
                + "or the root ID that `aws organizations list-roots` shows, such as r-ab12"), error.problems());
    }

    @Test
    void theEmbeddedTemplateFitsTemplateBodyAndIsEnvironmentAgnosticWithoutAssets() {
        int bytes = bodyText.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(bytes < WorkloadBaselineTemplate.MAX_TEMPLATE_BODY_BYTES, () -> bytes + " bytes");
        Set<String> baked = new TreeSet<>();
        Matcher literal = Pattern.compile("\\b[0-9]{12}\\b|\\b(us|eu|ca|ap|sa|me|af|il|mx)-[a-z]+-[0-9]\\b")
                .matcher(bodyText);
        while (literal.find()) {
            baked.add(literal.group());
        }
        assertEquals(Set.of(), baked, "no account ID or region may be baked into a StackSet's template");
        List<String> parameters = new ArrayList<>();
        body.path("Parameters").fieldNames().forEachRemaining(parameters::add);
        assertEquals(List.of(WorkloadBaselineStack.BUILD_ACCOUNT_PARAMETER,
                WorkloadBaselineStack.WRITER_ROLE_REGION_PARAMETER), parameters, "no asset or bootstrap-version parameter");
        assertTrue(body.path("Rules").isMissingNode(), "no bootstrap-version rule");
        assertFalse(bodyText.contains("cdk-hnb659fds") || bodyText.contains("AWS::CDK::Metadata")
                || bodyText.contains("aws:asset:"), "nothing of the build account's bootstrap or assets");
        assertTrue(bodyText.contains("\"Fn::GetAZs\""), "the AZs resolve in each target region");
    }

    /** The same network as the build account's: every security group, rule and SSM parameter of NetworkStack. */
    @Test
    void theEmbeddedNetworkIsTheBuildAccountsNetwork() {
        ResourceNames names = shared.settings().names();
        JsonNode network = JSON.valueToTree(Template.fromStack(shared.stack(names.networkStack(
                shared.settings().buildRegion()))).toJSON()).path("Resources");
        JsonNode baseline = body.path("Resources");
        List<String> types = List.of("AWS::EC2::SecurityGroup", "AWS::SSM::Parameter", "AWS::EC2::VPC",
                "AWS::EC2::Subnet", "AWS::EC2::FlowLog", "AWS::Logs::LogGroup");
        for (String type : types) {
            assertEquals(withoutTags(network, type), withoutTags(baseline, type), type);
        }
        JsonNode containerTesting = baseline.path("SecurityGroupsContainerTesting55434248").path("Properties");
        assertEquals("container-testing", containerTesting.path("GroupName").asText());
        assertTrue(containerTesting.path("SecurityGroupIngress").toString().contains("203.0.113.0/24"));
    }

    private static Map<String, JsonNode> withoutTags(final JsonNode resources, final String type) {
        Map<String, JsonNode> found = new java.util.TreeMap<>();
        resources.fields().forEachRemaining(entry -> {
            if (entry.getValue().path("Type").asText().equals(type)) {
                JsonNode properties = entry.getValue().path("Properties").deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) properties).remove("Tags");
                found.put(entry.getKey(), properties);
            }
        });
        assertFalse(found.isEmpty(), type);
        return found;
    }

    @Test
    void theChannelWriterRoleTrustsOnlyTheBuildAccountsReleasePrincipals() throws IOException {
        JsonNode role = roleNamed("fractal-release-channel-writer");
        String partition = "{\"Ref\":\"AWS::Partition\"}";
        String build = "{\"Ref\":\"" + WorkloadBaselineStack.BUILD_ACCOUNT_PARAMETER + "\"}";
        JsonNode expectedTrust = JSON.readTree("""
                {"Version":"2012-10-17","Statement":[{"Action":"sts:AssumeRole","Effect":"Allow",
                 "Principal":{"AWS":{"Fn::Join":["",["arn:",$P,":iam::",$B,":root"]]}},
                 "Condition":{"ArnLike":{"aws:PrincipalArn":[
                   {"Fn::Join":["",["arn:",$P,":iam::",$B,":role/FractalCiDeployRole-*"]]},
                   {"Fn::Join":["",["arn:",$P,":iam::",$B,":role/fractal-*"]]}]}}}]}
                """.replace("$P", partition).replace("$B", build));
        assertEquals(expectedTrust, role.path("AssumeRolePolicyDocument"));
    }

    @Test
    void theChannelWriterRoleMayWriteOnlyThisAccountsChannelParametersAndFindImages() throws IOException {
        JsonNode role = roleNamed("fractal-release-channel-writer");
        JsonNode expected = JSON.readTree("""
                [{"PolicyName":"ReleaseChannels","PolicyDocument":{"Version":"2012-10-17","Statement":[
                  {"Sid":"ChannelParameters","Effect":"Allow","Action":["ssm:GetParameter","ssm:GetParameters",
                   "ssm:GetParameterHistory","ssm:PutParameter","ssm:AddTagsToResource","ssm:DeleteParameter"],
                   "Resource":{"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":ssm:*:",{"Ref":"AWS::AccountId"},
                   ":parameter/fractal/image/*/channels/*"]]}},
                  {"Sid":"FindImages","Effect":"Allow","Action":"ec2:DescribeImages","Resource":"*"}]}}]
                """);
        assertEquals(expected, role.path("Policies"));
        assertEquals(1, count("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"), "only the flow log role's policy");
    }

    /** IAM is global: one region's instance holds the named role, or the second region's would fail. */
    @Test
    void theChannelWriterRoleExistsInOneRegionOfEachAccount() throws IOException {
        List<String> conditions = new ArrayList<>();
        body.path("Resources").forEach(resource -> {
            if (resource.path("Properties").path("RoleName").asText().equals("fractal-release-channel-writer")) {
                conditions.add(resource.path("Condition").asText());
            }
        });
        assertEquals(1, conditions.size());
        assertEquals(JSON.readTree("{\"Fn::Equals\":[{\"Ref\":\"AWS::Region\"},{\"Ref\":\""
                + WorkloadBaselineStack.WRITER_ROLE_REGION_PARAMETER + "\"}]}"),
                body.path("Conditions").path(conditions.get(0)));
    }

    private static JsonNode roleNamed(final String name) {
        List<JsonNode> roles = new ArrayList<>();
        body.path("Resources").forEach(resource -> {
            if (resource.path("Properties").path("RoleName").asText().equals(name)) {
                roles.add(resource.path("Properties"));
            }
        });
        assertEquals(1, roles.size(), name);
        return roles.get(0);
    }

    private static long count(final String... types) {
        List<String> wanted = List.of(types);
        List<JsonNode> found = new ArrayList<>();
        body.path("Resources").forEach(resource -> {
            if (wanted.contains(resource.path("Type").asText())) {
                found.add(resource);
            }
        });
        return found.size();
    }
}
