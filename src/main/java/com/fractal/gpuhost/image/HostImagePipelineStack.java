package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ConstructIds;
import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.network.HostSecurityGroup;
import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SsmNames;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ssm.StringListParameter;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * The GPU host image pipelines, in the build region: one whole pipeline per active image variant
 * ({@link VariantPipeline}), sharing the host-scripts asset, the components, the build-log bucket and its
 * key, and the build topic. The shared pieces keep the construct IDs they had before variants existed, so
 * their logical IDs (and the stateful bucket, key and topic) stay.
 */
public final class HostImagePipelineStack extends Stack {
    private static final int LOG_RETENTION_DAYS = 365;

    private final Map<String, VariantPipeline> variants = new LinkedHashMap<>();

    public HostImagePipelineStack(final Construct scope, final StackProps props, final Settings settings,
            final Path componentsDir) {
        super(scope, settings.names().imagePipelineStack(), props);
        ResourceNames resourceNames = settings.names();
        ProjectTags.apply(this, resourceNames, "image-pipeline");
        SsmNames names = settings.ssmNames();

        HostScriptsAsset scripts = new HostScriptsAsset(this, "HostScripts", settings.hostScriptsDir());
        DriverMirror mirror = new DriverMirror(this, "DriverMirror");
        HostComponents components = new HostComponents(this, "Components", componentsDir, scripts);
        BuildLogs logs = new BuildLogs(this, "BuildLogs", LOG_RETENTION_DAYS);
        BuildNotifications notifications = new BuildNotifications(this, "BuildNotifications",
                resourceNames.buildTopic(), settings.notifications(), names.notificationTopicArn());
        VariantPipeline.Shared shared = new VariantPipeline.Shared(
                Fn.select(0, StringListParameter.valueForTypedListParameter(this, names.publicSubnetIds())),
                StringParameter.valueForStringParameter(this, names.securityGroupId(HostSecurityGroup.IMAGE_BUILDER.key())),
                scripts, components, logs, notifications, mirror);
        for (ImageVariant variant : settings.imageVariants()) {
            VariantPipeline pipeline = new VariantPipeline(this, ConstructIds.pascalCase(variant.name()), variant,
                    settings, shared);
            variants.put(variant.name(), pipeline);
            acceptRisks(logs, pipeline.infrastructure(), pipeline.retention());
        }
        AcceptedRisk.BUILD_LOGS_WITHOUT_ACCESS_LOGS.acceptOn(logs.bucket());
        AcceptedRisk.BUILD_LOGS_WITHOUT_EVENTS.acceptOn(logs.bucket());
        AcceptedRisk.BUILD_LOGS_WITHOUT_OBJECT_LOCK.acceptOn(logs.bucket());
        AcceptedRisk.DRIVER_MIRROR_WITHOUT_EVENTS_OR_LOCK.acceptOn(mirror.bucket());
        AcceptedRisk.ACCESS_LOG_BUCKET.acceptOn(mirror.accessLogs());
    }

    private void acceptRisks(final BuildLogs logs, final BuildInfrastructure infrastructure,
            final ImageRetention retention) {
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
    }

    /** The pipeline of each active variant, by variant name. */
    public Map<String, VariantPipeline> variants() {
        return java.util.Collections.unmodifiableMap(variants);
    }
}
