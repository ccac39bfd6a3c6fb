package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.network.HostSecurityGroup;
import com.fractal.gpuhost.settings.ImagePipelineSettings;
import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.ReleaseSettings;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SsmNames;
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
        AcceptedRisk.BUILD_INSTANCE_MANAGED_POLICIES.acceptOn(infrastructure.role(), List.of(
                "Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore",
                "Policy::arn:<AWS::Partition>:iam::aws:policy/EC2InstanceProfileForImageBuilder"));
        AcceptedRisk.BUILD_LOG_WRITES_UNDER_PREFIXES.acceptOn(infrastructure.role(),
                List.of(BuildLogs.PREFIX, BuildLogs.MANIFESTS_PREFIX).stream()
                        .map(prefix -> "Resource::<" + getLogicalId((CfnElement) logs.bucket().getNode()
                                .getDefaultChild()) + ".Arn>/" + prefix + "/*")
                        .toList());
        AcceptedRisk.LIFECYCLE_MANAGED_POLICY.acceptOn(retention.role(), List.of(
                "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/EC2ImageBuilderLifecycleExecutionPolicy"));
        AcceptedRisk.BUILD_LOGS_WITHOUT_ACCESS_LOGS.acceptOn(logs.bucket());
        AcceptedRisk.BUILD_LOGS_WITHOUT_EVENTS.acceptOn(logs.bucket());
        AcceptedRisk.BUILD_LOGS_WITHOUT_OBJECT_LOCK.acceptOn(logs.bucket());
    }

    public HostImageRecipe recipe() {
        return recipe;
    }
}
