package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.network.HostSecurityGroups;
import com.fractal.gpuhost.settings.ImagePipelineSettings;
import com.fractal.gpuhost.settings.ReleaseSettings;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SsmNames;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    public static final String NAME = "FractalHostImagePipeline";
    /** Tag on every image this pipeline makes; the retention policy selects images by it. */
    static final Map<String, String> IMAGE_TAGS = Map.of("fractal:image", "gpu-host");
    private static final int LOG_RETENTION_DAYS = 365;

    private final BuildInfrastructure infrastructure;
    private final HostImageRecipe recipe;

    public HostImagePipelineStack(final Construct scope, final StackProps props, final Settings settings,
            final Path componentsDir) {
        super(scope, NAME, props);
        ProjectTags.apply(this, "image-pipeline");
        SsmNames names = settings.ssmNames();
        ImagePipelineSettings pipelineSettings = settings.imagePipeline();

        HostScriptsAsset scripts = new HostScriptsAsset(this, "HostScripts", settings.hostScriptsDir(),
                settings.pinnedVersions());
        HostComponents components = new HostComponents(this, "Components", componentsDir, scripts);
        recipe = new HostImageRecipe(this, "Recipe", new HostImageRecipe.Props(settings.baseImageSsmParameter(),
                settings.rootVolumeGiB(), components, scripts));

        BuildLogs logs = new BuildLogs(this, "BuildLogs", LOG_RETENTION_DAYS);
        BuildNotifications notifications = new BuildNotifications(this, "BuildNotifications",
                settings.notifications(), names.notificationTopicArn());
        infrastructure = new BuildInfrastructure(this, "Infrastructure", new BuildInfrastructure.Props(
                settings.buildInstanceTypes(),
                Fn.select(0, StringListParameter.valueForTypedListParameter(this, names.publicSubnetIds())),
                StringParameter.valueForStringParameter(this, names.securityGroupId(HostSecurityGroups.IMAGE_BUILDER)),
                scripts, logs, notifications, Map.of("project", ProjectTags.PROJECT, "component", "image-build")));

        Map<String, String> amiTags = new LinkedHashMap<>(Map.of("project", ProjectTags.PROJECT,
                "recipe-version", recipe.resource().getVersion(),
                ReleaseSettings.MADE_BY_TAG_KEY, HostImagePipeline.NAME));
        pipelineSettings.sourceCommit().ifPresent(commit -> amiTags.put("source-commit", commit));
        HostImageDistribution distribution = new HostImageDistribution(this, "Distribution",
                new HostImageDistribution.Props(settings.activeRegions(), names.hostAmiId(),
                        pipelineSettings.launchPermissionAccounts(), amiTags));
        HostImagePipeline pipeline = new HostImagePipeline(this, "Pipeline", new HostImagePipeline.Props(
                recipe.arn(), infrastructure.arn(), distribution.arn(), pipelineSettings, IMAGE_TAGS));
        ImageRetention retention = new ImageRetention(this, "Retention", pipelineSettings.retainedImages(), IMAGE_TAGS,
                settings.release().heldByTags());

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
                        .appliesTo(List.of("Resource::<" + getLogicalId((CfnElement) logs.bucket().getNode()
                                .getDefaultChild()) + ".Arn>/" + BuildLogs.PREFIX + "/*"))
                        .reason("Each build writes logs under keys it creates at run time; writes are confined to "
                                + "the build-log prefix of the project's own log bucket")
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
