package com.fractal.gpuhost.sharing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.StackMessages;
import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.settings.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * AMIs shared with accounts, OUs and the organization, and copied to one account: a snapshot key per active
 * region whose policy lets exactly those use it, the recipe and every distribution naming that key by its
 * full ARN, and launch permissions and copy targets per region. Without a sharing setting, none of it.
 */
class AmiSharingStacksTest {
    static final String ORG = TestApps.ORGANIZATION;
    static final String OU_PROD = TestApps.OU_PROD;
    static final String OU_STAGING = TestApps.OU_STAGING;
    static final String ALIAS = "alias/fractal-gpu-host-ami-snapshots";

    private static Settings settings;
    private static TestApps.Synthesized shared;
    private static TestApps.Synthesized defaults;
    private static Template pipeline;

    @BeforeAll
    static void synthesize() {
        shared = TestApps.synthesize(TestApps.SHARED_WITH_THE_ORGANIZATION);
        settings = shared.settings();
        pipeline = Template.fromStack(shared.stack(settings.names().imagePipelineStack()));
        defaults = TestApps.synthesize(Map.of());
    }

    private static Map<String, Object> aliasArn(final String region) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":kms:" + region + ":",
                Map.of("Ref", "AWS::AccountId"), ":" + ALIAS)));
    }

    @Test
    void everyActiveRegionGetsAKeyStackThatThePipelineWaitsFor() {
        Stack pipelineStack = shared.stack(settings.names().imagePipelineStack());
        for (String region : settings.activeRegions()) {
            Stack keyStack = shared.stack("FractalAmiKey-" + region);
            assertEquals(region, keyStack.getRegion());
            assertTrue(pipelineStack.getDependencies().contains(keyStack), region);
            Template key = Template.fromStack(keyStack);
            key.resourceCountIs("AWS::KMS::Key", 1);
            key.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
            key.hasResourceProperties("AWS::KMS::Alias", Map.of("AliasName", ALIAS));
        }
    }

    /** The policy lets exactly the shared accounts, copy targets, organization and OUs use the key. */
    @Test
    void keyPolicyLetsExactlyTheSharedAccountsOrganizationAndOusDecryptAndGrantOnlyForAwsResources() {
        Template key = Template.fromStack(shared.stack("FractalAmiKey-eu-west-1"));
        List<Object> accounts = List.of("111122223333", "444455556666", "777788889999").stream()
                .<Object>map(account -> Map.of("AWS", Map.of("Fn::Join", List.of("", List.of("arn:",
                        Map.of("Ref", "AWS::Partition"), ":iam::" + account + ":root")))))
                .toList();
        List<String> use = List.of("kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom", "kms:ReEncryptTo",
                "kms:GenerateDataKeyWithoutPlaintext");
        key.hasResourceProperties("AWS::KMS::Key", Map.of("KeyPolicy", Map.of("Statement", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Sid", "GrantsOnlyForAwsServices", "Effect", "Deny",
                        "Action", "kms:CreateGrant")),
                Match.objectLike(Map.of("Sid", "LaunchBySharedAccounts", "Effect", "Allow",
                        "Principal", Map.of("AWS", List.of(accounts.stream().map(p -> ((Map<?, ?>) p).get("AWS"))
                                .toArray())),
                        "Action", use, "Condition", Match.absent())),
                Match.objectLike(Map.of("Sid", "GrantsForAwsResourcesBySharedAccounts", "Action", "kms:CreateGrant",
                        "Condition", Map.of("Bool", Map.of("kms:GrantIsForAWSResource", "true")))),
                Match.objectLike(Map.of("Sid", "LaunchBySharedOrganization", "Principal", Map.of("AWS", "*"),
                        "Action", use,
                        "Condition", Map.of("StringEquals", Map.of("aws:PrincipalOrgID", "o-a1b2c3d4e5")))),
                Match.objectLike(Map.of("Sid", "GrantsForAwsResourcesBySharedOrganization", "Principal",
                        Map.of("AWS", "*"), "Action", "kms:CreateGrant", "Condition", Map.of(
                                "StringEquals", Map.of("aws:PrincipalOrgID", "o-a1b2c3d4e5"),
                                "Bool", Map.of("kms:GrantIsForAWSResource", "true")))),
                Match.objectLike(Map.of("Sid", "LaunchBySharedOrganizationalUnits", "Principal", Map.of("AWS", "*"),
                        "Action", use, "Condition", Map.of("ForAnyValue:StringLike", Map.of("aws:PrincipalOrgPaths",
                                List.of("o-a1b2c3d4e5/*/ou-ab12-11111111/*", "o-a1b2c3d4e5/*/ou-ab12-22222222/*"))))),
                Match.objectLike(Map.of("Sid", "GrantsForAwsResourcesBySharedOrganizationalUnits",
                        "Action", "kms:CreateGrant", "Condition", Match.objectLike(Map.of(
                                "Bool", Map.of("kms:GrantIsForAWSResource", "true"))))))))));
        // Nobody else: the build account's own (IAM decides there), the shared accounts, and org conditions.
        List<?> statements = (List<?>) ((Map<?, ?>) properties(key, "AWS::KMS::Key").get("KeyPolicy"))
                .get("Statement");
        assertEquals(8, statements.size(), statements::toString);
        statements.stream().map(s -> (Map<?, ?>) s)
                .filter(s -> "Allow".equals(s.get("Effect")) && Map.of("AWS", "*").equals(s.get("Principal")))
                .forEach(s -> assertTrue(String.valueOf(s.get("Condition")).contains("aws:PrincipalOrg"), s::toString));
    }

    @Test
    void recipeEncryptsTheRootWithTheBuildRegionsKeyByItsFullArn() {
        pipeline.hasResourceProperties("AWS::ImageBuilder::ImageRecipe", Map.of("BlockDeviceMappings", List.of(
                Map.of("DeviceName", "/dev/sda1", "Ebs", Map.of("VolumeSize", 32, "VolumeType", "gp3",
                        "Encrypted", true, "DeleteOnTermination", true, "KmsKeyId", aliasArn("us-east-1"))))));
    }

    /** CloudFormation's own PascalCase keys (the L1 takes a plain map here), per region. */
    @Test
    void eachRegionsAmiIsEncryptedWithThatRegionsKeySharedByLaunchPermissionAndCopied() {
        Map<?, ?> configuration = properties(pipeline, "AWS::ImageBuilder::DistributionConfiguration");
        List<?> distributions = (List<?>) configuration.get("Distributions");
        assertEquals(settings.activeRegions().size(), distributions.size());
        for (Object each : distributions) {
            Map<?, ?> distribution = (Map<?, ?>) each;
            String region = (String) distribution.get("Region");
            Map<?, ?> ami = (Map<?, ?>) distribution.get("AmiDistributionConfiguration");
            assertEquals(List.of("Name", "Description", "AmiTags", "KmsKeyId", "LaunchPermissionConfiguration",
                    "TargetAccountIds"), List.copyOf(ami.keySet()), region);
            assertEquals(aliasArn(region), ami.get("KmsKeyId"), region);
            assertEquals(Map.of("UserIds", List.of("111122223333", "444455556666"),
                    "OrganizationArns", List.of(ORG),
                    "OrganizationalUnitArns", List.of(OU_PROD, OU_STAGING)),
                    ami.get("LaunchPermissionConfiguration"), region);
            assertEquals(List.of(Map.of("Ref", "AWS::AccountId"), "777788889999"), ami.get("TargetAccountIds"), region);
        }
    }

    @Test
    void sharingWithAccountsAloneGrantsOnlyUserIdsAndCopiesNothing() {
        Template accountsOnly = Template.fromStack(TestApps.synthesize(TestApps.CONFIGURED_ONE_REGION)
                .stack(settings.names().imagePipelineStack()));
        accountsOnly.hasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Map.of("Distributions",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Region", "us-east-1",
                        "AmiDistributionConfiguration", Match.objectLike(Map.of(
                                "KmsKeyId", aliasArn("us-east-1"),
                                "LaunchPermissionConfiguration", Map.of("UserIds", List.of(TestApps.SHARED_ACCOUNT)),
                                "TargetAccountIds", Match.absent()))))))));
    }

    @Test
    void withoutSharingThereIsNoKeyStackAndTheAccountsDefaultEbsKey() {
        assertTrue(defaults.stacks().stream().noneMatch(stack -> stack.getStackName().startsWith("FractalAmiKey")));
        Template plain = Template.fromStack(defaults.stack(settings.names().imagePipelineStack()));
        plain.hasResourceProperties("AWS::ImageBuilder::ImageRecipe", Map.of("BlockDeviceMappings", List.of(
                Map.of("DeviceName", "/dev/sda1", "Ebs", Map.of("VolumeSize", 32, "VolumeType", "gp3",
                        "Encrypted", true, "DeleteOnTermination", true)))));
        plain.hasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Map.of("Distributions",
                Match.arrayWith(List.of(Match.objectLike(Map.of("AmiDistributionConfiguration", Match.objectLike(
                        Map.of("KmsKeyId", Match.absent(), "LaunchPermissionConfiguration", Match.absent(),
                                "TargetAccountIds", Match.absent()))))))));
    }

    /** The key stacks pass the AWS Solutions checks with no suppression (the gate's own test covers the default). */
    @Test
    void cdkNagFindsNothingInTheSharedConfiguration() {
        List<String> findings = new java.util.ArrayList<>();
        for (Stack stack : shared.stacks()) {
            StackMessages.errorsAndWarnings(stack, "AwsSolutions-")
                    .forEach(m -> findings.add(stack.getStackName() + " " + m.getId()));
        }
        assertEquals(List.of(), findings);
        shared.stacks().stream().filter(AmiKeyStack.class::isInstance).forEach(stack -> assertTrue(
                !Template.fromStack(stack).toJSON().toString().contains("cdk_nag"), stack.getStackName()
                        + " carries a cdk-nag suppression"));
    }

    /** A recipe cannot change in place: the key changes its version, so a deploy makes a new recipe. */
    @Test
    void theKeyChangesTheRecipeVersion() {
        Template plain = Template.fromStack(defaults.stack(settings.names().imagePipelineStack()));
        Object plainVersion = properties(plain, "AWS::ImageBuilder::ImageRecipe").get("Version");
        Object sharedVersion = properties(pipeline, "AWS::ImageBuilder::ImageRecipe").get("Version");
        assertTrue(plainVersion != null && !plainVersion.equals(sharedVersion), plainVersion + " " + sharedVersion);
    }

    /** The properties of the template's one resource of this type. */
    private static Map<?, ?> properties(final Template template, final String type) {
        Map<String, Map<String, Object>> resources = template.findResources(type);
        assertEquals(1, resources.size(), type);
        return (Map<?, ?>) resources.values().iterator().next().get("Properties");
    }
}
