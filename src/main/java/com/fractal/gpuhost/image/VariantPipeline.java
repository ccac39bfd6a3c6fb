package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.settings.ImagePipelineSettings;
import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.settings.ReleaseSettings;
import com.fractal.gpuhost.settings.ResourceNames;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SsmNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * One image variant's whole pipeline: recipe, infrastructure, distribution, the pipeline, its retention
 * and the parameter CI starts it by. Every name and SSM path carries the variant, so variants never share a
 * channel, a latest-build parameter or a lifecycle. A retired variant synthesizes with a warning.
 */
public final class VariantPipeline extends Construct {
    /** The shared pieces of the stack that every variant's pipeline uses. */
    public record Shared(String subnetId, String securityGroupId, HostScriptsAsset scripts, HostComponents components,
            BuildLogs logs, BuildNotifications notifications, DriverMirror mirror) {
    }

    private final BuildInfrastructure infrastructure;
    private final ImageRetention retention;
    private final HostImageRecipe recipe;
    private final HostImagePipeline pipeline;

    public VariantPipeline(final Construct scope, final String id, final ImageVariant variant, final Settings settings,
            final Shared shared) {
        super(scope, id);
        ResourceNames names = settings.names();
        SsmNames ssm = settings.ssmNames();
        ImagePipelineSettings pipelineSettings = settings.imagePipeline();
        String name = variant.name();
        variant.retiredOn().ifPresent(date -> Annotations.of(this).addWarningV2("fractal:retired-variant",
                "Image variant " + name + " is retired: AWS retired its instance family (" + String.join(", ",
                        variant.families()) + ") on " + date + " and its driver branch is out of support; "
                        + "launches fail in most accounts. Use a current variant (docs/variants.md)."));

        Optional<String> snapshotKeyAlias = pipelineSettings.sharing().isActive()
                ? Optional.of(names.amiKeyAlias()) : Optional.empty();
        recipe = new HostImageRecipe(this, "Recipe", new HostImageRecipe.Props(names.imageRecipe(name),
                variant, settings.rootVolumeGiB(), shared.components(), shared.scripts(), shared.logs(),
                shared.mirror(), snapshotKeyAlias));
        infrastructure = new BuildInfrastructure(this, "Infrastructure", new BuildInfrastructure.Props(
                names.buildInfrastructure(name), variant, shared.subnetId(), shared.securityGroupId(),
                shared.scripts(), shared.logs(), shared.notifications(), shared.mirror(),
                ProjectTags.of(names, "image-build")));

        Map<String, String> amiTags = new LinkedHashMap<>();
        amiTags.put("project", names.project());
        amiTags.put("image-variant", name);
        amiTags.put("recipe-version", recipe.resource().getVersion());
        amiTags.put(ReleaseSettings.MADE_BY_TAG_KEY, names.imagePipeline(name));
        pipelineSettings.sourceCommit().ifPresent(commit -> amiTags.put("source-commit", commit));
        HostImageDistribution distribution = new HostImageDistribution(this, "Distribution",
                new HostImageDistribution.Props(names.imageDistribution(name), names.amiName(name), variant,
                        settings.activeRegions(), ssm.hostAmiId(name), pipelineSettings.sharing(),
                        snapshotKeyAlias, amiTags));
        pipeline = new HostImagePipeline(this, "Pipeline", new HostImagePipeline.Props(names.imagePipeline(name),
                recipe, infrastructure, distribution, pipelineSettings, names.imageTags(name)));
        retention = new ImageRetention(this, "Retention", names.imageRetention(name),
                pipelineSettings.retainedImages(), names.imageTags(name), settings.release().heldByTags());

        StringParameter.Builder.create(this, "PipelineArnParameter")
                .parameterName(ssm.imagePipelineArn(name))
                .description("ARN of the " + name + " image pipeline, for CI to start builds")
                .stringValue(pipeline.arn())
                .build();
        CfnOutput.Builder.create(this, "PipelineArn").description("Start a " + name + " build: aws imagebuilder "
                + "start-image-pipeline-execution --image-pipeline-arn <this>").value(pipeline.arn()).build();
        CfnOutput.Builder.create(this, "AmiIdParameter").description("In every active region, the newest "
                + name + " AMI's ID").value(ssm.hostAmiId(name)).build();
    }

    public BuildInfrastructure infrastructure() {
        return infrastructure;
    }

    public ImageRetention retention() {
        return retention;
    }

    public HostImageRecipe recipe() {
        return recipe;
    }
}
