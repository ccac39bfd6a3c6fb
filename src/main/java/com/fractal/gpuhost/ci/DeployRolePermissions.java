package com.fractal.gpuhost.ci;

import com.fractal.gpuhost.image.BuildLogs;
import com.fractal.gpuhost.settings.ReleaseSettings;
import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.SharingSettings;
import com.fractal.gpuhost.settings.SsmNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.DefaultStackSynthesizer;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * What CI may do with the deploy role, and nothing more: hand `cdk deploy` over to the CDK bootstrap roles
 * of the active regions, start and watch the image pipeline, and read the pipeline's ARN and the AMI IDs
 * from SSM, and after a build read the image's version manifest and tag its AMIs with the versions. Everything
 * CloudFormation changes is done by the bootstrap roles, not by this role.
 *
 * @param activeRegions every region with a network stack and a copy of the AMI
 * @param buildRegion   the region of the image pipelines
 * @param variants      the active image variants, each with its pipeline and channels
 * @param names         the physical names of the pipeline, its images and the parameters CI reads
 * @param release       the release channels, whose parameters and AMI tags CI's release workflows change
 * @param sharing       the workload accounts whose channel parameters the release command writes too
 */
public record DeployRolePermissions(List<String> activeRegions, String buildRegion, List<String> variants,
        ResourceNames names, ReleaseSettings release, SharingSettings sharing) {
    /** The roles `cdk bootstrap` creates in each region, all of which the CDK CLI may assume. */
    public static final List<String> BOOTSTRAP_ROLES = List.of("deploy", "file-publishing", "image-publishing", "lookup");

    public static final String SID_BOOTSTRAP = "AssumeCdkBootstrapRoles";
    public static final String SID_PIPELINE = "StartAndWatchImagePipeline";
    public static final String SID_IMAGE = "WatchImageBuilds";
    public static final String SID_PIPELINE_ARN = "ReadImagePipelineArn";
    public static final String SID_AMI_IDS = "ReadAmiIdParameters";
    public static final String SID_MANIFESTS = "ReadVersionManifests";
    public static final String SID_MANIFESTS_KEY = "DecryptVersionManifests";
    public static final String SID_TAG_AMIS = "TagProjectAmisWithVersions";
    public static final String SID_CHANNELS = "ReleaseChannelParameters";
    public static final String SID_DESCRIBE_IMAGES = "DescribeImages";
    public static final String SID_HELD_BY_TAGS = "TagImagesHeldByChannels";
    public static final String SID_NOTIFY = "PublishReleaseNotifications";
    public static final String SID_NOTIFY_KEY = "EncryptReleaseNotifications";
    public static final String SID_DRIVER_MIRROR = "QualifyDriversIntoMirror";
    public static final String SID_CHANNEL_WRITERS = "AssumeChannelWriterRoles";
    public static final String SID_LAUNCH_PERMISSIONS = "ReadLaunchPermissions";
    public static final String SID_ORGANIZATION = "ListOrganizationAccounts";

    public DeployRolePermissions {
        activeRegions = List.copyOf(activeRegions);
        variants = List.copyOf(variants);
    }

    public List<PolicyStatement> statements() {
        List<PolicyStatement> statements = new ArrayList<>(List.of(assumeBootstrapRoles(), imagePipeline(), images(),
                pipelineArnParameter(), amiIdParameters(), versionManifests(), decryptVersionManifests(), tagAmis()));
        statements.addAll(releaseStatements());
        statements.add(driverMirror());
        return statements;
    }

    /**
     * `npm run drivers -- qualify` in the weekly workflow: list the mirror, read and write its runfiles (its
     * AWS-managed S3 key lets any role of the account that S3 lets through encrypt and decrypt).
     */
    PolicyStatement driverMirror() {
        String bucket = "arn:" + Aws.PARTITION + ":s3:::" + ResourceNames.driverMirrorBucket(Aws.ACCOUNT_ID, buildRegion);
        return PolicyStatement.Builder.create().sid(SID_DRIVER_MIRROR)
                .actions(List.of("s3:ListBucket", "s3:GetObject", "s3:PutObject"))
                .resources(List.of(bucket, bucket + "/*"))
                .build();
    }

    /** Exact role ARNs (the default qualifier), so no wildcard: every role of every active region. */
    PolicyStatement assumeBootstrapRoles() {
        List<String> roles = new ArrayList<>();
        for (String region : activeRegions) {
            for (String role : BOOTSTRAP_ROLES) {
                roles.add("arn:" + Aws.PARTITION + ":iam::" + Aws.ACCOUNT_ID + ":role/cdk-"
                        + DefaultStackSynthesizer.DEFAULT_QUALIFIER + "-" + role + "-role-" + Aws.ACCOUNT_ID + "-" + region);
            }
        }
        return PolicyStatement.Builder.create().sid(SID_BOOTSTRAP).actions(List.of("sts:AssumeRole"))
                .resources(roles).build();
    }

    PolicyStatement imagePipeline() {
        return PolicyStatement.Builder.create().sid(SID_PIPELINE)
                .actions(List.of("imagebuilder:StartImagePipelineExecution", "imagebuilder:GetImagePipeline",
                        "imagebuilder:ListImagePipelineImages"))
                .resources(List.of(imagePipelinePattern()))
                .build();
    }

    PolicyStatement images() {
        return PolicyStatement.Builder.create().sid(SID_IMAGE).actions(List.of("imagebuilder:GetImage"))
                .resources(List.of(imagePattern())).build();
    }

    PolicyStatement pipelineArnParameter() {
        return PolicyStatement.Builder.create().sid(SID_PIPELINE_ARN).actions(List.of("ssm:GetParameter"))
                .resources(variants.stream().map(variant -> parameterArn(buildRegion,
                        names.ssm().imagePipelineArn(variant))).toList()).build();
    }

    /** The AMI ID path itself (for GetParametersByPath) and the parameters below it, in every region. */
    PolicyStatement amiIdParameters() {
        SsmNames ssmNames = names.ssm();
        List<String> parameters = new ArrayList<>();
        for (String region : activeRegions) {
            parameters.add(parameterArn(region, ssmNames.amiIdPath()));
            parameters.add(parameterArn(region, ssmNames.amiIdPath() + "/*"));
        }
        return PolicyStatement.Builder.create().sid(SID_AMI_IDS)
                .actions(List.of("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"))
                .resources(parameters)
                .build();
    }

    /** The manifests the validate phase uploads to the build-log bucket, read-only. */
    PolicyStatement versionManifests() {
        return PolicyStatement.Builder.create().sid(SID_MANIFESTS).actions(List.of("s3:GetObject"))
                .resources(List.of(manifestPattern())).build();
    }

    /**
     * The log bucket is SSE-KMS with a key of the pipeline stack: decrypting is allowed only through S3 in the
     * build region, for that bucket (with a bucket key, S3's encryption context is the bucket's ARN).
     */
    PolicyStatement decryptVersionManifests() {
        return PolicyStatement.Builder.create().sid(SID_MANIFESTS_KEY).actions(List.of("kms:Decrypt"))
                .resources(List.of(buildRegionKeys()))
                .conditions(inOrder(
                        "StringEquals", Map.of("kms:ViaService", "s3." + buildRegion + ".amazonaws.com"),
                        "ArnLike", Map.of("kms:EncryptionContext:aws:s3:arn",
                                BuildLogs.bucketPattern(Aws.PARTITION, names.imagePipelineStack()))))
                .build();
    }

    String buildRegionKeys() {
        return "arn:" + Aws.PARTITION + ":kms:" + buildRegion + ":" + Aws.ACCOUNT_ID + ":key/*";
    }

    /** Tags on the AMIs in every active region, and only on the project's own (tagged project=...). */
    PolicyStatement tagAmis() {
        List<String> images = new ArrayList<>();
        activeRegions.forEach(region -> images.add(ec2Arn(region, "image/*")));
        return PolicyStatement.Builder.create().sid(SID_TAG_AMIS).actions(List.of("ec2:CreateTags"))
                .resources(images)
                .conditions(Map.of("StringEquals", Map.of("aws:ResourceTag/project", names.project())))
                .build();
    }

    String manifestPattern() {
        return BuildLogs.manifestObjectsPattern(Aws.PARTITION, names.imagePipelineStack());
    }


    /** Every pipeline the project names (an image's name is its recipe's, also project-prefixed). */
    // The release command: channel parameters, held-by tags, the notification topic.

    List<PolicyStatement> releaseStatements() {
        List<PolicyStatement> statements = new ArrayList<>(List.of(channelParameters(), describeImages(), heldByTags(),
                publishNotifications(), notificationKey()));
        statements.addAll(workloadAccountStatements());
        return statements;
    }

    /**
     * Only with sharing settings: the release command writes each workload account's channels through the
     * channel writer role there (exactly that name; its trust policy admits only the build account's release
     * principals), checks each AMI's launch permissions, and lists the accounts of the OUs and the organization.
     */
    List<PolicyStatement> workloadAccountStatements() {
        if (!sharing.isActive()) {
            return List.of();
        }
        List<PolicyStatement> statements = new ArrayList<>(List.of(
                PolicyStatement.Builder.create().sid(SID_CHANNEL_WRITERS).actions(List.of("sts:AssumeRole"))
                        .resources(channelWriterRoles()).build(),
                PolicyStatement.Builder.create().sid(SID_LAUNCH_PERMISSIONS)
                        .actions(List.of("ec2:DescribeImageAttribute")).resources(List.of("*")).build()));
        if (readsOrganization()) {
            statements.add(PolicyStatement.Builder.create().sid(SID_ORGANIZATION)
                    .actions(List.of("organizations:DescribeOrganization", "organizations:ListAccounts",
                            "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"))
                    .resources(List.of("*")).build());
        }
        return statements;
    }

    /** The OUs' and the organization's accounts are known only at release time (and change as accounts join). */
    private boolean readsOrganization() {
        return !sharing.organizationalUnits().isEmpty() || sharing.organization().isPresent();
    }

    /**
     * The role in each named account; with OUs or the organization, the role of that name in any account: their
     * members are listed at release time.
     */
    List<String> channelWriterRoles() {
        if (readsOrganization()) {
            return List.of(writerRoleArn("*"));
        }
        List<String> roles = new ArrayList<>();
        sharing.accounts().forEach(account -> roles.add(writerRoleArn(account)));
        sharing.copyToAccounts().forEach(account -> roles.add(writerRoleArn(account)));
        return roles;
    }

    private String writerRoleArn(final String account) {
        return "arn:" + Aws.PARTITION + ":iam::" + account + ":role/" + names.releaseChannelWriterRole();
    }

    /**
     * Exactly each channel's parameter in each active region: read, its history, write, and delete (to put
     * back a channel whose first promotion failed halfway); and the topic's ARN parameter.
     */
    PolicyStatement channelParameters() {
        List<String> parameters = new ArrayList<>();
        for (String region : activeRegions) {
            for (String variant : variants) {
                release.channels().forEach(channel -> parameters.add(parameterArn(region,
                        names.ssm().channelAmiId(variant, channel))));
            }
        }
        parameters.add(parameterArn(buildRegion, names.ssm().notificationTopicArn()));
        return PolicyStatement.Builder.create().sid(SID_CHANNELS)
                .actions(List.of("ssm:GetParameter", "ssm:GetParameterHistory", "ssm:PutParameter",
                        "ssm:DeleteParameter"))
                .resources(parameters)
                .build();
    }

    /** EC2's Describe calls take no resource-level permissions: "*" is the only resource they accept. */
    PolicyStatement describeImages() {
        return PolicyStatement.Builder.create().sid(SID_DESCRIBE_IMAGES).actions(List.of("ec2:DescribeImages"))
                .resources(List.of("*")).build();
    }

    /**
     * Images and snapshots in the active regions (their IDs are made at build time), and only the channels'
     * held-by tags: a request must name tag keys, and all of them must be held-by keys.
     */
    PolicyStatement heldByTags() {
        List<String> resources = new ArrayList<>();
        for (String region : activeRegions) {
            resources.add(ec2Arn(region, "image/*"));
            resources.add(ec2Arn(region, "snapshot/*"));
        }
        return PolicyStatement.Builder.create().sid(SID_HELD_BY_TAGS)
                .actions(List.of("ec2:CreateTags", "ec2:DeleteTags"))
                .resources(resources)
                .conditions(inOrder(
                        "ForAllValues:StringEquals", Map.of("aws:TagKeys", List.copyOf(release.heldByTags().keySet())),
                        "Null", Map.of("aws:TagKeys", "false")))
                .build();
    }

    PolicyStatement publishNotifications() {
        return PolicyStatement.Builder.create().sid(SID_NOTIFY).actions(List.of("sns:Publish"))
                .resources(List.of(topicArn())).build();
    }

    /** The topic is encrypted with a customer-managed key: a publisher needs it, through SNS and for this topic only. */
    PolicyStatement notificationKey() {
        return PolicyStatement.Builder.create().sid(SID_NOTIFY_KEY)
                .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
                .resources(List.of(buildRegionKeys()))
                .conditions(Map.of("StringEquals", inOrder(
                        "kms:ViaService", "sns." + buildRegion + ".amazonaws.com",
                        "kms:EncryptionContext:aws:sns:topicArn", topicArn())))
                .build();
    }

    String topicArn() {
        return "arn:" + Aws.PARTITION + ":sns:" + buildRegion + ":" + Aws.ACCOUNT_ID + ":" + names.buildTopic();
    }

    private static String ec2Arn(final String region, final String resource) {
        return "arn:" + Aws.PARTITION + ":ec2:" + region + "::" + resource;
    }

    String imagePipelinePattern() {
        return imageBuilderArn("image-pipeline/" + names.prefixedPattern());
    }

    String imagePattern() {
        return imageBuilderArn("image/" + names.prefixedPattern());
    }

    /** The wildcard resources, as cdk-nag names them, so that a suppression can list exactly these. */
    List<String> wildcardResourcesForNag() {
        Set<String> resources = new LinkedHashSet<>();
        resources.add(nagForm(imagePipelinePattern()));
        resources.add(nagForm(imagePattern()));
        activeRegions.forEach(region -> resources.add(nagForm(parameterArn(region, names.ssm().amiIdPath() + "/*"))));
        resources.add(nagForm(manifestPattern()));
        resources.add(nagForm(buildRegionKeys()));
        resources.add("Resource::*");
        if (sharing.isActive() && readsOrganization()) {
            resources.add(nagForm(writerRoleArn("*")));
        }
        resources.add(nagForm("arn:" + Aws.PARTITION + ":s3:::"
                + ResourceNames.driverMirrorBucket(Aws.ACCOUNT_ID, buildRegion) + "/*"));
        activeRegions.forEach(region -> {
            resources.add(nagForm(ec2Arn(region, "image/*")));
            resources.add(nagForm(ec2Arn(region, "snapshot/*")));
        });
        return List.copyOf(resources);
    }

    private String imageBuilderArn(final String resource) {
        return "arn:" + Aws.PARTITION + ":imagebuilder:" + buildRegion + ":" + Aws.ACCOUNT_ID + ":" + resource;
    }

    private static String parameterArn(final String region, final String name) {
        return "arn:" + Aws.PARTITION + ":ssm:" + region + ":" + Aws.ACCOUNT_ID + ":parameter" + name;
    }

    private static String nagForm(final String arn) {
        return "Resource::" + arn.replace(Aws.PARTITION, "<AWS::Partition>").replace(Aws.ACCOUNT_ID, "<AWS::AccountId>");
    }

    /** Two entries in the order given: Map.of's order changes from one JVM to the next, and so would the template. */
    private static <V> Map<String, V> inOrder(final String firstKey, final V first, final String secondKey,
            final V second) {
        Map<String, V> map = new LinkedHashMap<>();
        map.put(firstKey, first);
        map.put(secondKey, second);
        return map;
    }
}
