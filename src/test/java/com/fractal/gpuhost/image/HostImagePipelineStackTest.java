package com.fractal.gpuhost.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The pipeline stack with defaults, and with a schedule, launch permissions, a commit, scanning, retention and
 * notifications ({@link TestApps#CONFIGURED_ONE_REGION}).
 */
class HostImagePipelineStackTest {
    private static Settings settings;
    private static Stack stack;
    private static Template defaults;
    private static Template configured;

    @BeforeAll
    static void synthesize() {
        TestApps.Synthesized app = TestApps.synthesize(Map.of());
        settings = app.settings();
        stack = app.stack(settings.names().imagePipelineStack());
        defaults = Template.fromStack(stack);
        configured = Template.fromStack(TestApps.synthesize(TestApps.CONFIGURED_ONE_REGION)
                .stack(settings.names().imagePipelineStack()));
    }

    @Test
    void livesInTheBuildRegion() {
        assertEquals("us-east-1", stack.getRegion());
    }

    /**
     * A component is named as its document on disk says, inside the project prefix the CI role's scopes cover,
     * and its data is that document, byte for byte: synthesis only fills in the parameters' values, on the recipe.
     */
    @Test
    void oneComponentPerDocumentOnDiskWhoseDataIsTheFileAsItIs() throws IOException {
        defaults.resourceCountIs("AWS::ImageBuilder::Component", 4);
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        Map<String, Map<String, Object>> components = defaults.findResources("AWS::ImageBuilder::Component");
        for (String key : List.of("host-setup", "ami-setup", "validate", "test")) {
            String file = Files.readString(Path.of("components", key + ".yml"));
            String name = yaml.readTree(file).get("name").asText();
            assertTrue(name.startsWith(settings.names().prefixed("")), name);
            Map<?, ?> properties = components.values().stream().map(c -> (Map<?, ?>) c.get("Properties"))
                    .filter(p -> name.equals(p.get("Name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no component named " + name));
            assertEquals("Linux", properties.get("Platform"));
            assertTrue(String.valueOf(properties.get("Version")).matches("1\\.[0-9]+\\.[0-9]+"));
            assertEquals(file, properties.get("Data"), key);
        }
    }

    @Test
    void recipeRunsTheComponentsInOrderOnAnEncryptedGp3RootAndKeepsTheSsmAgent() {
        @SuppressWarnings("unchecked")
        Map<String, Object> recipe = (Map<String, Object>) defaults.findResources("AWS::ImageBuilder::ImageRecipe")
                .values().iterator().next().get("Properties");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> components = (List<Map<String, Object>>) recipe.get("Components");
        List<String> order = components.stream()
                .map(c -> String.valueOf(((Map<?, ?>) c.get("ComponentArn")).get("Fn::GetAtt")))
                .map(getAtt -> getAtt.replaceAll("^\\[Components([A-Za-z]+)[0-9A-F]{8}, Arn\\]$", "$1"))
                .toList();
        assertEquals(List.of("HostSetup", "AmiSetup", "Validate", "Test"), order);
        assertEquals("ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
                recipe.get("ParentImage"));
        defaults.hasResourceProperties("AWS::ImageBuilder::ImageRecipe", Map.of(
                "BlockDeviceMappings", List.of(Map.of("DeviceName", "/dev/sda1", "Ebs", Map.of("VolumeSize", 32,
                        "VolumeType", "gp3", "Encrypted", true, "DeleteOnTermination", true))),
                "AdditionalInstanceConfiguration", Map.of("SystemsManagerAgent", Map.of("UninstallAfterBuild", false)),
                "WorkingDirectory", HostImageRecipe.WORKING_DIRECTORY));
    }

    @Test
    void componentsThatRunTheScriptsAreGivenTheAssetLocationAndTheVariant() {
        defaults.hasResourceProperties("AWS::ImageBuilder::ImageRecipe", Map.of("Components", Match.arrayWith(List.of(
                Map.of("ComponentArn", Match.anyValue(), "Parameters", List.of(Map.of("Name", "HostScriptsS3Uri",
                        "Value", List.of(Map.of("Fn::Sub", Match.stringLikeRegexp(
                                "s3://cdk-hnb659fds-assets-\\$\\{AWS::AccountId\\}-us-east-1/[0-9a-f]{64}\\.zip")))),
                        Map.of("Name", "ImageVariant", "Value", List.of("ubuntu24-r580"))))))));
    }

    @Test
    void validateIsGivenTheBuildLogBucketAndTheImagesNameAndVersionForItsManifest() {
        @SuppressWarnings("unchecked")
        Map<String, Object> recipe = (Map<String, Object>) defaults.findResources("AWS::ImageBuilder::ImageRecipe")
                .values().iterator().next().get("Properties");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> components = (List<Map<String, Object>>) recipe.get("Components");
        List<String> parameterNames = components.stream()
                .map(c -> c.containsKey("Parameters") ? ((List<?>) c.get("Parameters")).stream()
                        .map(p -> String.valueOf(((Map<?, ?>) p).get("Name"))).toList().toString() : "[]")
                .toList();
        assertEquals(List.of("[HostScriptsS3Uri, ImageVariant, DriverMirrorBucket, DriverMirrorRegion, GridDriverKey]",
                "[HostScriptsS3Uri, ImageVariant]", "[HostScriptsS3Uri, ImageVariant, BuildLogBucket, ImageName, ImageVersion]",
                "[HostScriptsS3Uri, ImageVariant]"), parameterNames);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> validate = (List<Map<String, Object>>) components.get(2).get("Parameters");
        assertEquals(List.of(Map.of("Ref", logBucketLogicalId())), validate.get(2).get("Value"));
        assertEquals(List.of("fractal-gpu-host-ubuntu24-r580"), validate.get(3).get("Value"));
        assertEquals(List.of(recipe.get("Version")), validate.get(4).get("Value"));
    }

    @Test
    void buildRoleMayWriteOnlyLogsAndManifestsToTheLogBucket() {
        defaults.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Map.of("Sid", "WriteBuildLogs", "Effect", "Allow", "Action", "s3:PutObject",
                        "Resource", List.of(objectsUnder("image-builds"), objectsUnder(BuildLogs.MANIFESTS_PREFIX))))))));
    }

    private static Map<String, Object> objectsUnder(final String prefix) {
        return Map.of("Fn::Join", List.of("", List.of(Map.of("Fn::GetAtt", List.of(logBucketLogicalId(), "Arn")),
                "/" + prefix + "/*")));
    }

    private static String logBucketLogicalId() {
        return defaults.findResources("AWS::S3::Bucket").keySet().stream().filter(id -> id.startsWith("BuildLogs"))
                .findFirst().orElseThrow();
    }

    @Test
    void infrastructureUsesTheVariantsTypesInOrderImdsv2AndTheImageBuilderGroup() {
        defaults.hasResourceProperties("AWS::ImageBuilder::InfrastructureConfiguration", Map.of(
                "Name", "fractal-gpu-host-ubuntu24-r580-build",
                "InstanceTypes", List.of("g4dn.xlarge", "g5.xlarge", "g6.xlarge"),
                "TerminateInstanceOnFailure", true,
                "InstanceMetadataOptions", Map.of("HttpTokens", "required"),
                "SecurityGroupIds", List.of(Map.of("Ref", Match.stringLikeRegexp(".*imagebuilderid.*"))),
                "SubnetId", Map.of("Fn::Select", List.of(0, Map.of("Ref", Match.stringLikeRegexp(".*publicsubnetids.*")))),
                "Logging", Map.of("S3Logs", Map.of("S3BucketName", Map.of("Ref", Match.stringLikeRegexp("BuildLogsBucket.*")),
                        "S3KeyPrefix", "image-builds")),
                "SnsTopicArn", Map.of("Ref", Match.stringLikeRegexp("BuildNotificationsTopic.*"))));
    }

    @Test
    void logBucketIsEncryptedWithItsOwnKeyVersionedTlsOnlyPrivateAndExpiresOldLogs() {
        defaults.hasResourceProperties("AWS::S3::Bucket", Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Match.objectLike(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms", "KMSMasterKeyID",
                                Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("BuildLogsKey.*"), "Arn"))))))),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "LifecycleConfiguration", Map.of("Rules", List.of(Match.objectLike(Map.of("ExpirationInDays", 365,
                        "NoncurrentVersionExpiration", Map.of("NoncurrentDays", 365), "Status", "Enabled"))))));
        defaults.hasResourceProperties("AWS::S3::BucketPolicy", Map.of("PolicyDocument", Map.of("Statement",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Effect", "Deny", "Condition",
                        Map.of("Bool", Map.of("aws:SecureTransport", "false")))))))));
    }

    @Test
    void notificationsTopicIsEncryptedWithARotatedKey() {
        defaults.hasResourceProperties("AWS::SNS::Topic", Map.of("KmsMasterKeyId", Map.of("Fn::GetAtt",
                List.of(Match.stringLikeRegexp("BuildNotificationsKey.*"), "Arn"))));
        defaults.hasResourceProperties("AWS::KMS::Key", Map.of("EnableKeyRotation", true));
    }

    @Test
    void everyKeyIsRotatedAndDeniesGrantsExceptForAwsResources() {
        defaults.resourceCountIs("AWS::KMS::Key", 2);
        defaults.resourcePropertiesCountIs("AWS::KMS::Key", Map.of("EnableKeyRotation", true, "KeyPolicy",
                Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                        "Effect", "Deny", "Action", "kms:CreateGrant", "Principal", Map.of("AWS", "*"),
                        "Resource", "*", "Condition", Map.of("BoolIfExists", Map.of(
                                "kms:GrantIsForAWSResource", "false", "aws:PrincipalIsAWSService", "false"))))))))),
                2);
    }

    @Test
    void buildRoleReadsOnlyTheScriptsAndDriverAndWritesOnlyLogs() {
        defaults.resourceCountIs("AWS::IAM::Policy", 1);
        defaults.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Version", "2012-10-17",
                "Statement", List.of(
                        Map.of("Sid", "ReadHostScriptsAndNvidiaGridDriver", "Effect", "Allow", "Action", "s3:GetObject",
                                "Resource", List.of(scriptsAssetArn(settings.buildRegion()),
                                        mirrorObjectArn("grid-19.0/NVIDIA-Linux-x86_64-580.65.06-grid-aws.run"))),
                        Map.of("Sid", "WriteBuildLogs", "Effect", "Allow", "Action", "s3:PutObject",
                                "Resource", List.of(objectsUnder("image-builds"),
                                        objectsUnder(BuildLogs.MANIFESTS_PREFIX))),
                        Map.of("Sid", "EncryptBuildLogs", "Effect", "Allow", "Action", List.of("kms:GenerateDataKey",
                                "kms:Decrypt"), "Resource", Map.of("Fn::GetAtt", List.of(
                                        Match.stringLikeRegexp("BuildLogsKey.*"), "Arn")))))));
    }

    /** The host-scripts asset: one object in the CDK bootstrap bucket of the region, named by its hash. */
    static Map<String, Object> scriptsAssetArn(final String region) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":s3:::",
                Map.of("Fn::Sub", "cdk-hnb659fds-assets-${AWS::AccountId}-" + region),
                Match.stringLikeRegexp("/[0-9a-f]{64}\\.zip"))));
    }

    /** An object in the driver mirror: the bucket by reference, so the grant follows the bucket. */
    static Map<String, Object> mirrorObjectArn(final String key) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":s3:::",
                Map.of("Ref", Match.stringLikeRegexp("DriverMirrorBucket[0-9A-F]{8}")), "/" + key)));
    }

    @Test
    void driverMirrorIsNamedAsTheDriversCommandComputesItVersionedEncryptedPrivateRetainedAndLogged() {
        defaults.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain", "Properties", Match.objectLike(Map.of(
                "BucketName", Map.of("Fn::Join", List.of("", List.of("fractal-gpu-host-drivers-",
                        Map.of("Ref", "AWS::AccountId"), "-" + settings.buildRegion()))),
                "VersioningConfiguration", Map.of("Status", "Enabled"),
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "BucketKeyEnabled", true,
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "aws:kms")))),
                "PublicAccessBlockConfiguration", Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true,
                        "IgnorePublicAcls", true, "RestrictPublicBuckets", true),
                "LoggingConfiguration", Map.of("DestinationBucketName",
                        Map.of("Ref", Match.stringLikeRegexp("DriverMirrorAccessLogs[0-9A-F]{8}")),
                        "LogFilePrefix", DriverMirror.ACCESS_LOG_PREFIX)))));
        // S3's log delivery writes only into an SSE-S3 bucket.
        defaults.hasResource("AWS::S3::Bucket", Map.of("DeletionPolicy", "Retain", "Properties", Match.objectLike(Map.of(
                "BucketEncryption", Map.of("ServerSideEncryptionConfiguration", List.of(Map.of(
                        "ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256")))),
                "VersioningConfiguration", Map.of("Status", "Enabled")))));
        for (String bucket : List.of("DriverMirrorBucket", "DriverMirrorAccessLogs")) {
            defaults.hasResourceProperties("AWS::S3::BucketPolicy", Map.of(
                    "Bucket", Map.of("Ref", Match.stringLikeRegexp(bucket + "[0-9A-F]{8}")),
                    "PolicyDocument", Match.objectLike(Map.of("Statement", Match.arrayWith(List.of(Match.objectLike(
                            Map.of("Effect", "Deny", "Action", "s3:*", "Condition",
                                    Map.of("Bool", Map.of("aws:SecureTransport", "false"))))))))));
        }
    }

    @Test
    void hostSetupGetsTheMirrorsNameAndRegionFromTheRecipe() throws IOException {
        defaults.hasResourceProperties("AWS::ImageBuilder::ImageRecipe", Map.of("Components", Match.arrayWith(List.of(
                Match.objectLike(Map.of("Parameters", Match.arrayWith(List.of(
                        Map.of("Name", HostComponents.MIRROR_BUCKET_PARAMETER, "Value", List.of(
                                Map.of("Ref", Match.stringLikeRegexp("DriverMirrorBucket[0-9A-F]{8}")))),
                        Map.of("Name", HostComponents.MIRROR_REGION_PARAMETER, "Value",
                                List.of(settings.buildRegion())),
                        Map.of("Name", HostComponents.DRIVER_KEY_PARAMETER, "Value",
                                List.of(pinnedDriverKey("ubuntu24-r580")))))))))));
        JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(
                Files.readString(Path.of("components", "host-setup.yml")));
        String setup = "";
        for (JsonNode step : document.path("phases").get(0).path("steps")) {
            if ("RunSetupGpuHost".equals(step.path("name").asText())) {
                setup = step.path("inputs").path("commands").get(1).asText();
            }
        }
        assertTrue(setup.contains("NVIDIA_DRIVER_MIRROR_BUCKET=\"{{ DriverMirrorBucket }}\" "
                + "NVIDIA_DRIVER_MIRROR_REGION=\"{{ DriverMirrorRegion }}\" "
                + "NVIDIA_GRID_DRIVER_RUNFILE=\"{{ HostScriptsWorkDir }}/nvidia-grid-driver.run\" bash "), setup);
    }

    /** The variant's pin as its file in host-scripts/variants/ holds it (what part 1 checks the runfile against). */
    private static String pinnedDriverKey(final String variant) throws IOException {
        return Files.readAllLines(Path.of("host-scripts", "variants", variant + ".env")).stream()
                .filter(line -> line.startsWith("NVIDIA_GRID_DRIVER_KEY="))
                .map(line -> line.substring("NVIDIA_GRID_DRIVER_KEY=".length())).findFirst().orElseThrow();
    }

    static Map<String, Object> s3ObjectArn(final String bucketAndKey) {
        return Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":s3:::" + bucketAndKey)));
    }

    @Test
    void distributionCoversEveryActiveRegionWithCloudFormationKeysAndTheAmiIdInSsm() {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> distributions = (List<Map<String, Object>>) ((Map<String, Object>) defaults
                .findResources("AWS::ImageBuilder::DistributionConfiguration").values().iterator().next()
                .get("Properties")).get("Distributions");
        assertEquals(settings.activeRegions(), distributions.stream().map(d -> d.get("Region")).toList());
        for (Map<String, Object> distribution : distributions) {
            @SuppressWarnings("unchecked")
            Map<String, Object> ami = (Map<String, Object>) distribution.get("AmiDistributionConfiguration");
            // The L1 trap: camelCase keys here would be silently ignored by CloudFormation.
            assertEquals(List.of("Name", "Description", "AmiTags"), List.copyOf(ami.keySet()));
            assertEquals("fractal-gpu-host-ubuntu24-r580-{{ imagebuilder:buildDate }}", ami.get("Name"));
            assertEquals(List.of(Map.of("ParameterName", "/imagebuilder/fractal/ubuntu24-r580/ami-id",
                    "DataType", "aws:ec2:image")), distribution.get("SsmParameterConfigurations"));
        }
    }

    @Test
    void launchPermissionsAndTheSourceCommitReachTheAmiSettings() {
        configured.hasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Map.of("Distributions",
                Match.arrayWith(List.of(Match.objectLike(Map.of("Region", "us-east-1", "AmiDistributionConfiguration",
                        Match.objectLike(Map.of(
                                "LaunchPermissionConfiguration", Map.of("UserIds", List.of(TestApps.SHARED_ACCOUNT)),
                                "KmsKeyId", Match.anyValue(),
                                "AmiTags", Match.objectLike(Map.of("source-commit", "0123abc"))))))))));
    }

    @Test
    void pipelineTestsImagesAndRecordsEnhancedMetadataAndRunsOnDemandByDefault() {
        defaults.hasResourceProperties("AWS::ImageBuilder::ImagePipeline", Map.of(
                "ImageTestsConfiguration", Map.of("ImageTestsEnabled", true, "TimeoutMinutes", 120),
                "EnhancedImageMetadataEnabled", true,
                "ImageScanningConfiguration", Map.of("ImageScanningEnabled", false),
                "Status", "ENABLED",
                "Name", "fractal-gpu-host-ubuntu24-r580",
                "ImageTags", Map.of("fractal:image", "gpu-host-ubuntu24-r580"),
                "Schedule", Match.absent()));
        configured.hasResourceProperties("AWS::ImageBuilder::ImagePipeline", Map.of(
                "ImageScanningConfiguration", Map.of("ImageScanningEnabled", true),
                "Schedule", Map.of("ScheduleExpression", "cron(0 6 ? * MON *)",
                        "PipelineExecutionStartCondition", "EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE")));
    }

    @Test
    void retentionKeepsTheNewestImagesAndRemovesOlderAmisAndSnapshots() {
        defaults.hasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Map.of(
                "ResourceType", "AMI_IMAGE", "Status", "ENABLED",
                "PolicyDetails", List.of(Map.of(
                        "Action", Map.of("Type", "DELETE", "IncludeResources", Map.of("Amis", true, "Snapshots", true)),
                        "Filter", Map.of("Type", "COUNT", "Value", 3))),
                "ResourceSelection", Map.of("TagMap", Map.of("fractal:image", "gpu-host-ubuntu24-r580"))));
        configured.hasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Map.of("PolicyDetails",
                List.of(Match.objectLike(Map.of("Filter", Map.of("Type", "COUNT", "Value", 5))))));
    }

    @Test
    void pipelineArnIsPublishedForCi() {
        defaults.hasResourceProperties("AWS::SSM::Parameter", Map.of("Name", "/fractal/image/ubuntu24-r580/pipeline-arn",
                "Value", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("Pipeline.*"), "Arn"))));
    }

    /** What a channel holds, or held within its last promotions, carries a held-by tag that retention skips. */
    @Test
    void retentionNeverTouchesAmisThatAChannelHolds() {
        defaults.hasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Map.of("PolicyDetails", List.of(
                Match.objectLike(Map.of("ExclusionRules", Map.of("Amis", Map.of("TagMap", Map.of(
                        "fractal:held-by:candidate", "true", "fractal:held-by:stable", "true"))))))));
        configured.hasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Map.of("PolicyDetails", List.of(
                Match.objectLike(Map.of("ExclusionRules", Map.of("Amis", Map.of("TagMap", Map.of(
                        "fractal:held-by:candidate", "true", "fractal:held-by:beta", "true",
                        "fractal:held-by:stable", "true"))))))));
    }

    /** The release command refuses AMIs without this tag. */
    @Test
    void everyDistributedAmiSaysThisPipelineMadeIt() {
        defaults.hasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Map.of("Distributions",
                Match.arrayWith(List.of(Match.objectLike(Map.of("AmiDistributionConfiguration", Match.objectLike(Map.of(
                        "AmiTags", Match.objectLike(Map.of("fractal:image-pipeline", "fractal-gpu-host-ubuntu24-r580",
                                "image-variant", "ubuntu24-r580"))))))))));
    }

    @Test
    void theBuildTopicHasANameItsArnInSsmAndByDefaultNoSubscriber() {
        defaults.hasResourceProperties("AWS::SNS::Topic", Map.of("TopicName", "fractal-gpu-host-builds",
                "KmsMasterKeyId", Match.anyValue()));
        defaults.hasResourceProperties("AWS::SSM::Parameter", Map.of("Name", "/fractal/image/notification-topic-arn",
                "Value", Map.of("Ref", Match.stringLikeRegexp("BuildNotificationsTopic.*"))));
        defaults.resourceCountIs("AWS::SNS::Subscription", 0);
        defaults.resourceCountIs("AWS::Chatbot::SlackChannelConfiguration", 0);
    }

    @Test
    void notificationEmailsSubscribeAndSlackGetsAChatbotChannelOnTheSameTopic() {
        configured.resourceCountIs("AWS::SNS::Subscription", 2);
        for (String email : List.of("ops@example.com", "lead@example.org")) {
            configured.hasResourceProperties("AWS::SNS::Subscription", Map.of("Protocol", "email", "Endpoint", email,
                    "TopicArn", Map.of("Ref", Match.stringLikeRegexp("BuildNotificationsTopic.*"))));
        }
        configured.hasResourceProperties("AWS::Chatbot::SlackChannelConfiguration", Map.of(
                "SlackWorkspaceId", "T07EA123LEP", "SlackChannelId", "C07EZ1ABC23",
                "SnsTopicArns", List.of(Map.of("Ref", Match.stringLikeRegexp("BuildNotificationsTopic.*"))),
                "IamRoleArn", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("BuildNotificationsSlack.*"), "Arn")),
                "GuardrailPolicies", List.of(Match.objectLike(Map.of("Fn::Join", Match.arrayWith(List.of(List.of(
                        "arn:", Map.of("Ref", "AWS::Partition"), ":iam::aws:policy/ReadOnlyAccess"))))))));
        configured.hasResourceProperties("AWS::IAM::Role", Map.of("AssumeRolePolicyDocument", Map.of("Statement",
                List.of(Match.objectLike(Map.of("Principal", Map.of("Service", "chatbot.amazonaws.com")))),
                "Version", "2012-10-17")));
    }
}
