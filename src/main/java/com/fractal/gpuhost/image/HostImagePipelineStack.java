package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.network.HostSecurityGroup;
import com.fractal.gpuhost.settings.ImagePipelineSettings;
import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.ReleaseSettings;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SsmNames;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ssm.StringListParameter;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * The GPU host image pipeline, in the build region: components, recipe, g3 infrastructure, distribution
 * to every active region with the AMI ID in SSM, the pipeline itself, and retention.
 */
public final class HostImagePipelineStack extends Stack {
    private static final int LOG_RETENTION_DAYS = 365;

    private final BuildInfrastructure infrastructure;
    private final HostImageRecipe recipe;

    public HostImagePipelineStack(final Construct scope, final StackProps props, final Settings settings,
            final Path componentsDir) {
        super(scope, settings.names().imagePipelineStack(), props);
        ResourceNames resourceNames = settings.names();
        ProjectTags.apply(this, resourceNames, "image-pipeline");
        SsmNames names = settings.ssmNames();
        ImagePipelineSettings pipelineSettings = settings.imagePipeline();

        HostScriptsAsset scripts = new HostScriptsAsset(this, "HostScripts", settings.hostScriptsDir(),
                settings.pinnedVersions());
        HostComponents components = new HostComponents(this, "Components", componentsDir, scripts);
        BuildLogs logs = new BuildLogs(this, "BuildLogs", LOG_RETENTION_DAYS);
        recipe = new HostImageRecipe(this, "Recipe", new HostImageRecipe.Props(resourceNames.imageRecipe(),
                settings.baseImageSsmParameter(), settings.rootVolumeGiB(), components, scripts, logs,
                snapshotKeyAlias(settings)));

        BuildNotifications notifications = new BuildNotifications(this, "BuildNotifications",
                resourceNames.buildTopic(), settings.notifications(), names.notificationTopicArn());
        infrastructure = new BuildInfrastructure(this, "Infrastructure", new BuildInfrastructure.Props(
                resourceNames.buildInfrastructure(), settings.buildInstanceTypes(),
                Fn.select(0, StringListParameter.valueForTypedListParameter(this, names.publicSubnetIds())),
                StringParameter.valueForStringParameter(this, names.securityGroupId(HostSecurityGroup.IMAGE_BUILDER.key())),
                scripts, logs, notifications, ProjectTags.of(resourceNames, "image-build")));

        Map<String, String> amiTags = new LinkedHashMap<>();
        amiTags.put("project", resourceNames.project());
        amiTags.put("recipe-version", recipe.resource().getVersion());
        amiTags.put(ReleaseSettings.MADE_BY_TAG_KEY, resourceNames.imagePipeline());
        pipelineSettings.sourceCommit().ifPresent(commit -> amiTags.put("source-commit", commit));
        HostImageDistribution distribution = new HostImageDistribution(this, "Distribution",
                new HostImageDistribution.Props(resourceNames.imageDistribution(),
                        resourceNames.amiName(), settings.activeRegions(), names.hostAmiId(),
                        pipelineSettings.sharing(), snapshotKeyAlias(settings), amiTags));
        HostImagePipeline pipeline = new HostImagePipeline(this, "Pipeline", new HostImagePipeline.Props(
                resourceNames.imagePipeline(), recipe, infrastructure, distribution, pipelineSettings,
                resourceNames.imageTags()));
        ImageRetention retention = new ImageRetention(this, "Retention", resourceNames.imageRetention(),
                pipelineSettings.retainedImages(), resourceNames.imageTags(), settings.release().heldByTags());

        StringParameter.Builder.create(this, "PipelineArnParameter")
                .parameterName(names.imagePipelineArn())
                .description("ARN of the GPU host image pipeline, for CI to start builds")
                .stringValue(pipeline.arn())
                .build();
        CfnOutput.Builder.create(this, "PipelineArn").description("Start a build: aws imagebuilder "
                + "start-image-pipeline-execution --image-pipeline-arn <this>").value(pipeline.arn()).build();
        CfnOutput.Builder.create(this, "AmiIdParameter").description("In every active region, the newest AMI's ID")
                .value(names.hostAmiId()).build();
        suppressJustifiedFindings(logs, retention);
    }

    /** The snapshot key's alias when the AMIs are shared; the account's default EBS key otherwise. */
    private static Optional<String> snapshotKeyAlias(final Settings settings) {
        return settings.imagePipeline().sharing().isActive() ? Optional.of(settings.names().amiKeyAlias())
                : Optional.empty();
    }

    private void suppressJustifiedFindings(final BuildLogs logs, final ImageRetention retention) {
        NagSuppressions.addResourceSuppressions(infrastructure.role(), List.of(
                NagPackSuppression.builder().id("AwsSolutions-IAM4")
                        .appliesTo(List.of(
                                "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore",
                                "Policy::arn:<AWS::Partition>:iam::aws:policy/EC2InstanceProfileForImageBuilder"))
                        .reason("AWS's own minimal policies that Image Builder documents for build and test instances: "
                                + "the SSM agent that runs AWSTOE, and Image Builder's calls from the instance")
                        .build(),
                NagPackSuppression.builder().id("AwsSolutions-IAM5")
                        .appliesTo(List.of(BuildLogs.PREFIX, BuildLogs.MANIFESTS_PREFIX).stream()
                                .map(prefix -> "Resource::<" + getLogicalId((CfnElement) logs.bucket().getNode()
                                        .getDefaultChild()) + ".Arn>/" + prefix + "/*")
                                .toList())
                        .reason("Each build writes logs and its version manifest under keys it creates at run "
                                + "time; writes are confined to those two prefixes of the project's own log bucket")
                        .build()), true);
        NagSuppressions.addResourceSuppressions(retention.role(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM4")
                .appliesTo(List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
                        + "EC2ImageBuilderLifecycleExecutionPolicy"))
                .reason("The policy AWS documents for Image Builder lifecycle policies; it only acts on resources "
                        + "the lifecycle policy selects")
                .build()));
        NagSuppressions.addResourceSuppressions(logs.bucket(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-S1")
                .reason("This bucket holds build logs itself; access logs of a log bucket would need yet another "
                        + "bucket, and the writers are only this pipeline's build instances")
                .build()));
    }

    public HostImageRecipe recipe() {
        return recipe;
    }
}
