package com.fractal.gpuhost.ci;

import com.fractal.gpuhost.TestApps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.image.BuildLogs;
import com.fractal.gpuhost.image.HostImagePipelineStack;
import com.fractal.gpuhost.settings.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The deploy role from cdk.json's defaults plus a repository and an environment, synthesized once. */
class CiDeployRoleStackTest {
    static final String REPO = "octo-org/gpu-host-infra";
    static final String OIDC = "token.actions.githubusercontent.com";
    /** A repository and an environment, no sharing: CiDeployRoleSharingTest reads the same role without sharing. */
    static final Map<String, Object> CONTEXT = Map.of("githubRepo", REPO, "githubEnvironment", "production");

    static Settings settings;
    static List<Stack> stacks;
    static CiDeployRoleStack stack;
    static Template template;

    @BeforeAll
    static void synthesize() {
        TestApps.Synthesized app = TestApps.synthesize(CONTEXT);
        settings = app.settings();
        stacks = app.stacks();
        stack = stacks.stream().filter(CiDeployRoleStack.class::isInstance).map(CiDeployRoleStack.class::cast)
                .findFirst().orElseThrow();
        template = Template.fromStack(stack);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> only(final String type) {
        Map<String, Map<String, Object>> found = template.findResources(type);
        assertEquals(1, found.size(), type + ": " + found.keySet());
        return (Map<String, Object>) found.values().iterator().next().get("Properties");
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> statements(final Map<String, Object> properties, final String document) {
        return (List<Map<String, Object>>) ((Map<String, Object>) properties.get(document)).get("Statement");
    }

    @Test
    void theStackIsInTheBuildRegionWithAStableName() {
        assertEquals("FractalCiDeployRole", stack.getStackName());
        assertEquals(settings.buildRegion(), stack.getRegion());
        assertEquals(settings.activeRegions().size() + 2, stacks.size(),
                "the network stacks, the image pipeline stack and the role stack");
    }

    @Test
    void theProviderIsGitHubsWithStsAsItsOnlyAudience() {
        Map<String, Object> provider = only("AWS::IAM::OIDCProvider");
        assertEquals("https://" + OIDC, provider.get("Url"));
        assertEquals(List.of("sts.amazonaws.com"), provider.get("ClientIdList"));
    }

    @Test
    void onlyTheRepositorysBranchAndEnvironmentMayAssumeTheRole() {
        List<Map<String, Object>> trust = statements(only("AWS::IAM::Role"), "AssumeRolePolicyDocument");
        assertEquals(1, trust.size(), trust::toString);
        Map<String, Object> statement = trust.get(0);
        assertEquals("Allow", statement.get("Effect"));
        assertEquals("sts:AssumeRoleWithWebIdentity", statement.get("Action"));
        assertEquals(Map.of("Federated", Map.of("Ref", template.findResources("AWS::IAM::OIDCProvider").keySet()
                .iterator().next())), statement.get("Principal"));
        assertEquals(Map.of("StringEquals", Map.of(
                OIDC + ":aud", "sts.amazonaws.com",
                OIDC + ":sub", List.of("repo:" + REPO + ":ref:refs/heads/main", "repo:" + REPO + ":environment:production"))),
                statement.get("Condition"), "exactly these conditions: no StringLike, no other key");
    }

    @Test
    void noSubjectHoldsAWildcard() {
        @SuppressWarnings("unchecked")
        Map<String, Object> equals = (Map<String, Object>) ((Map<String, Object>) statements(only("AWS::IAM::Role"),
                "AssumeRolePolicyDocument").get(0).get("Condition")).get("StringEquals");
        for (String subject : TemplateText.list(equals.get(OIDC + ":sub"))) {
            assertFalse(subject.contains("*") || subject.contains("?"), subject);
        }
    }

    @Test
    void theRoleHasOnlyItsOwnPolicyAndLongEnoughSessionsForABuild() {
        Map<String, Object> role = only("AWS::IAM::Role");
        assertFalse(role.containsKey("ManagedPolicyArns"), "no managed policy");
        assertFalse(role.containsKey("Policies"), "no inline policy on the role itself");
        assertEquals(4 * 3600, ((Number) role.get("MaxSessionDuration")).intValue());
        Map<String, Object> policy = only("AWS::IAM::Policy");
        assertEquals(List.of(Map.of("Ref", template.findResources("AWS::IAM::Role").keySet().iterator().next())),
                policy.get("Roles"));
        assertTrue(template.findResources("AWS::IAM::ManagedPolicy").isEmpty());
        assertTrue(template.findResources("AWS::IAM::User").isEmpty());
    }

    @Test
    void thePermissionsAreExactlyTheListedOnes() {
        Map<String, List<String>> actions = new LinkedHashMap<>();
        Map<String, Set<String>> resources = new LinkedHashMap<>();
        Map<String, Object> conditions = new LinkedHashMap<>();
        for (Map<String, Object> statement : statements(only("AWS::IAM::Policy"), "PolicyDocument")) {
            String sid = (String) statement.get("Sid");
            assertEquals("Allow", statement.get("Effect"), sid);
            assertFalse(statement.containsKey("NotAction") || statement.containsKey("NotResource"), sid);
            actions.put(sid, TemplateText.list(statement.get("Action")));
            resources.put(sid, new TreeSet<>(TemplateText.list(statement.get("Resource"))));
            if (statement.containsKey("Condition")) {
                conditions.put(sid, statement.get("Condition"));
            }
        }
        String partition = "${AWS::Partition}";
        String account = "${AWS::AccountId}";
        String build = settings.buildRegion();
        Set<String> bootstrapRoles = new TreeSet<>();
        Set<String> amiParameters = new TreeSet<>();
        for (String region : settings.activeRegions()) {
            for (String role : List.of("deploy", "file-publishing", "image-publishing", "lookup")) {
                bootstrapRoles.add("arn:" + partition + ":iam::" + account + ":role/cdk-hnb659fds-" + role + "-role-"
                        + account + "-" + region);
            }
            amiParameters.add("arn:" + partition + ":ssm:" + region + ":" + account + ":parameter/imagebuilder/fractal");
            amiParameters.add("arn:" + partition + ":ssm:" + region + ":" + account + ":parameter/imagebuilder/fractal/*");
        }
        assertEquals(settings.activeRegions().size() * DeployRolePermissions.BOOTSTRAP_ROLES.size(),
                bootstrapRoles.size());

        assertEquals(List.of("AssumeCdkBootstrapRoles", "StartAndWatchImagePipeline", "WatchImageBuilds",
                "ReadImagePipelineArn", "ReadAmiIdParameters", "ReadVersionManifests", "DecryptVersionManifests",
                "TagProjectAmisWithVersions", "ReleaseChannelParameters", "DescribeImages", "TagImagesHeldByChannels",
                "PublishReleaseNotifications", "EncryptReleaseNotifications", "QualifyDriversIntoMirror"),
                new ArrayList<>(actions.keySet()));
        String mirror = "arn:" + partition + ":s3:::fractal-gpu-host-drivers-" + account + "-" + build;
        assertEquals(List.of("s3:ListBucket", "s3:GetObject", "s3:PutObject"), actions.get("QualifyDriversIntoMirror"));
        assertEquals(Set.of(mirror, mirror + "/*"), resources.get("QualifyDriversIntoMirror"));
        assertEquals(List.of("sts:AssumeRole"), actions.get("AssumeCdkBootstrapRoles"));
        assertEquals(bootstrapRoles, resources.get("AssumeCdkBootstrapRoles"));
        assertEquals(List.of("imagebuilder:StartImagePipelineExecution", "imagebuilder:GetImagePipeline",
                "imagebuilder:ListImagePipelineImages"), actions.get("StartAndWatchImagePipeline"));
        assertEquals(Set.of("arn:" + partition + ":imagebuilder:" + build + ":" + account + ":image-pipeline/fractal-*"),
                resources.get("StartAndWatchImagePipeline"));
        assertEquals(List.of("imagebuilder:GetImage"), actions.get("WatchImageBuilds"));
        assertEquals(Set.of("arn:" + partition + ":imagebuilder:" + build + ":" + account + ":image/fractal-*"),
                resources.get("WatchImageBuilds"));
        assertEquals(List.of("ssm:GetParameter"), actions.get("ReadImagePipelineArn"));
        assertEquals(Set.of("arn:" + partition + ":ssm:" + build + ":" + account
                + ":parameter/fractal/image/ubuntu24-r580/pipeline-arn"),
                resources.get("ReadImagePipelineArn"));
        assertEquals(List.of("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"),
                actions.get("ReadAmiIdParameters"));
        assertEquals(amiParameters, resources.get("ReadAmiIdParameters"));

        assertEquals(List.of("s3:GetObject"), actions.get("ReadVersionManifests"));
        assertEquals(Set.of("arn:" + partition + ":s3:::fractalhostimagepipeline-buildlogsbucket*/manifests/*"),
                resources.get("ReadVersionManifests"));
        Set<String> images = new TreeSet<>();
        settings.activeRegions().forEach(region -> images.add("arn:" + partition + ":ec2:" + region + "::image/*"));
        assertEquals(settings.activeRegions().size(), images.size());
        assertEquals(List.of("ec2:CreateTags"), actions.get("TagProjectAmisWithVersions"));
        assertEquals(images, resources.get("TagProjectAmisWithVersions"));
        assertEquals(Map.of("StringEquals", Map.of("aws:ResourceTag/project", "fractal-gpu-host")),
                conditions.get("TagProjectAmisWithVersions"));
        assertEquals(List.of("kms:Decrypt"), actions.get("DecryptVersionManifests"));
        assertEquals(Set.of("arn:" + partition + ":kms:" + build + ":" + account + ":key/*"),
                resources.get("DecryptVersionManifests"));
        assertEquals(Map.of("StringEquals", Map.of("kms:ViaService", "s3." + build + ".amazonaws.com"),
                "ArnLike", Map.of("kms:EncryptionContext:aws:s3:arn", Map.of("Fn::Join", List.of("", List.of("arn:",
                        Map.of("Ref", "AWS::Partition"), ":s3:::fractalhostimagepipeline-buildlogsbucket*"))))),
                conditions.get("DecryptVersionManifests"));
        assertEquals(Set.of("DecryptVersionManifests", "TagProjectAmisWithVersions", "TagImagesHeldByChannels",
                "EncryptReleaseNotifications"), conditions.keySet(), "no other statement has a condition");
    }

    /** The manifest pattern must match the name CloudFormation gives the log bucket: stack, logical ID, random. */
    @Test
    void theManifestPatternMatchesThePipelineStacksLogBucket() {
        Stack pipeline = stacks.stream().filter(HostImagePipelineStack.class::isInstance).findFirst().orElseThrow();
        Set<String> buckets = Template.fromStack(pipeline).findResources("AWS::S3::Bucket").keySet().stream()
                .filter(id -> id.startsWith(BuildLogs.ID)).collect(java.util.stream.Collectors.toSet());
        assertEquals(1, buckets.size(), buckets::toString);
        String generatedNameStart = (pipeline.getStackName() + "-" + buckets.iterator().next()).toLowerCase(Locale.ROOT);
        String pattern = BuildLogs.manifestObjectsPattern("aws", pipeline.getStackName());
        String bucketPart = pattern.substring("arn:aws:s3:::".length(), pattern.indexOf("*/"));
        assertTrue(generatedNameStart.startsWith(bucketPart), generatedNameStart + " vs " + pattern);
        assertTrue(pattern.endsWith("/" + BuildLogs.MANIFESTS_PREFIX + "/*"), pattern);
    }

    /** The role's Image Builder scopes come from the same names as the pipeline: they cover it, and only ours. */
    @Test
    void theImageBuilderScopesCoverThePipelineAndTheImagesItBuilds() {
        Template pipelineStack = Template.fromStack(stacks.stream()
                .filter(s -> s.getStackName().equals(settings.names().imagePipelineStack())).findFirst().orElseThrow());
        String pipelineName = nameOf(pipelineStack, "AWS::ImageBuilder::ImagePipeline");
        String recipeName = nameOf(pipelineStack, "AWS::ImageBuilder::ImageRecipe"); // images carry the recipe's name
        Map<String, String> scopes = new LinkedHashMap<>();
        for (Map<String, Object> statement : statements(only("AWS::IAM::Policy"), "PolicyDocument")) {
            TemplateText.list(statement.get("Resource")).forEach(arn -> scopes.put(arn, (String) statement.get("Sid")));
        }
        String pipelineScope = scopeAfter(scopes, "StartAndWatchImagePipeline", ":image-pipeline/");
        String imageScope = scopeAfter(scopes, "WatchImageBuilds", ":image/");
        assertTrue(globMatches(pipelineScope, pipelineName), pipelineScope + " must cover " + pipelineName);
        assertTrue(globMatches(imageScope, recipeName + "/1.0.0/1"), imageScope + " must cover " + recipeName);
        assertFalse(globMatches(pipelineScope, "someone-elses-pipeline"), pipelineScope);
    }

    @SuppressWarnings("unchecked")
    private static String nameOf(final Template template, final String type) {
        return (String) ((Map<String, Object>) template.findResources(type).values().iterator().next()
                .get("Properties")).get("Name");
    }

    private static String scopeAfter(final Map<String, String> scopes, final String sid, final String marker) {
        return scopes.entrySet().stream().filter(e -> e.getValue().equals(sid)).map(Map.Entry::getKey)
                .map(arn -> arn.substring(arn.indexOf(marker) + marker.length())).findFirst().orElseThrow();
    }

    private static boolean globMatches(final String glob, final String name) {
        return name.matches(java.util.regex.Pattern.quote(glob).replace("*", "\\E.*\\Q"));
    }

    /** The release workflows: exactly the channel parameters, the held-by tags, reading images, the topic. */
    @Test
    void theReleasePermissionsAreExactlyTheChannelsTagsImagesAndTopic() {
        Map<String, Map<String, Object>> bySid = new LinkedHashMap<>();
        statements(only("AWS::IAM::Policy"), "PolicyDocument").forEach(st -> bySid.put((String) st.get("Sid"), st));
        String partition = "${AWS::Partition}";
        String account = "${AWS::AccountId}";
        String build = settings.buildRegion();
        Set<String> channelParameters = new TreeSet<>();
        Set<String> imagesAndSnapshots = new TreeSet<>();
        for (String region : settings.activeRegions()) {
            for (String channel : List.of("candidate", "stable")) {
                channelParameters.add("arn:" + partition + ":ssm:" + region + ":" + account
                        + ":parameter/fractal/image/ubuntu24-r580/channels/" + channel + "/ami-id");
            }
            imagesAndSnapshots.add("arn:" + partition + ":ec2:" + region + "::image/*");
            imagesAndSnapshots.add("arn:" + partition + ":ec2:" + region + "::snapshot/*");
        }
        channelParameters.add("arn:" + partition + ":ssm:" + build + ":" + account
                + ":parameter/fractal/image/notification-topic-arn");
        String topic = "arn:" + partition + ":sns:" + build + ":" + account + ":fractal-gpu-host-builds";

        Map<String, Object> channels = bySid.get("ReleaseChannelParameters");
        assertEquals(List.of("ssm:GetParameter", "ssm:GetParameterHistory", "ssm:PutParameter", "ssm:DeleteParameter"),
                TemplateText.list(channels.get("Action")));
        assertEquals(channelParameters, new TreeSet<>(TemplateText.list(channels.get("Resource"))));
        assertEquals(15, channelParameters.size(), "two channels in seven regions, and the topic's ARN");

        assertEquals(List.of("ec2:DescribeImages"), TemplateText.list(bySid.get("DescribeImages").get("Action")));
        assertEquals(List.of("*"), TemplateText.list(bySid.get("DescribeImages").get("Resource")));

        Map<String, Object> tags = bySid.get("TagImagesHeldByChannels");
        assertEquals(List.of("ec2:CreateTags", "ec2:DeleteTags"), TemplateText.list(tags.get("Action")));
        assertEquals(imagesAndSnapshots, new TreeSet<>(TemplateText.list(tags.get("Resource"))));
        assertEquals(Map.of("ForAllValues:StringEquals", Map.of("aws:TagKeys", List.of("fractal:held-by:candidate",
                "fractal:held-by:stable")), "Null", Map.of("aws:TagKeys", "false")), tags.get("Condition"),
                "only the held-by tags, and a request must name its keys (DeleteTags without keys deletes all)");

        Map<String, Object> publish = bySid.get("PublishReleaseNotifications");
        assertEquals(List.of("sns:Publish"), TemplateText.list(publish.get("Action")));
        assertEquals(List.of(topic), TemplateText.list(publish.get("Resource")));
        Map<String, Object> key = bySid.get("EncryptReleaseNotifications");
        assertEquals(List.of("kms:GenerateDataKey", "kms:Decrypt"), TemplateText.list(key.get("Action")));
        assertEquals(List.of("arn:" + partition + ":kms:" + build + ":" + account + ":key/*"),
                TemplateText.list(key.get("Resource")));
        @SuppressWarnings("unchecked")
        Map<String, Object> equals = (Map<String, Object>) ((Map<String, Object>) key.get("Condition"))
                .get("StringEquals");
        assertEquals(Set.of("kms:ViaService", "kms:EncryptionContext:aws:sns:topicArn"), equals.keySet());
        assertEquals("sns." + build + ".amazonaws.com", equals.get("kms:ViaService"));
        assertEquals(topic, TemplateText.of(equals.get("kms:EncryptionContext:aws:sns:topicArn")));
    }

    /** EC2's Describe calls accept no resource but "*": that one statement is the only exception. */
    @Test
    void noActionIsAWildcardAndNoResourceIsEverythingButForDescribeImages() {
        for (Map<String, Object> statement : statements(only("AWS::IAM::Policy"), "PolicyDocument")) {
            TemplateText.list(statement.get("Action")).forEach(action -> assertFalse(action.contains("*"), action));
            if (!List.of("ec2:DescribeImages").equals(TemplateText.list(statement.get("Action")))) {
                TemplateText.list(statement.get("Resource")).forEach(resource -> assertFalse(resource.equals("*"),
                        resource));
            }
        }
    }

    /** Replacing the role changes the ARN that CI is configured with; replacing the provider fails (one per URL). */
    @Test
    void logicalIdsArePinned() {
        assertEquals(Set.of("DeployRole885297C3"), template.findResources("AWS::IAM::Role").keySet());
        assertEquals(Set.of("GitHubOidcProvider7EBF861F"), template.findResources("AWS::IAM::OIDCProvider").keySet());
    }

    @Test
    void theRoleArnIsAnOutputForTheRepositoryVariable() {
        template.hasOutput("DeployRoleArn", Match.objectLike(Map.of("Value",
                Map.of("Fn::GetAtt", List.of("DeployRole885297C3", "Arn")))));
    }

    @Test
    void everyResourceIsTagged() {
        for (String type : List.of("AWS::IAM::Role", "AWS::IAM::OIDCProvider")) {
            template.hasResourceProperties(type, Match.objectLike(Map.of("Tags", Match.arrayWith(List.of(
                    Map.of("Key", "component", "Value", "ci"), Map.of("Key", "project", "Value", "fractal-gpu-host"))))));
        }
    }
}
