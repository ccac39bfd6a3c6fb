package com.fractal.gpuhost.image;

import com.fractal.gpuhost.settings.ImagePipelineSettings;
import java.util.Map;
import software.amazon.awscdk.services.imagebuilder.CfnImagePipeline;
import software.constructs.Construct;

/**
 * The pipeline: recipe, infrastructure and distribution, with image tests on a fresh instance and
 * enhanced metadata. Builds run on demand (CI starts them); a schedule, when set, builds only when
 * Image Builder finds a dependency update.
 */
public final class HostImagePipeline extends Construct {
    private final CfnImagePipeline pipeline;

    /** The pieces and settings the pipeline joins. */
    public record Props(String name, HostImageRecipe recipe, BuildInfrastructure infrastructure,
            HostImageDistribution distribution, ImagePipelineSettings settings, Map<String, String> imageTags) {
    }

    public HostImagePipeline(final Construct scope, final String id, final Props props) {
        super(scope, id);
        CfnImagePipeline.Builder builder = CfnImagePipeline.Builder.create(this, "Pipeline")
                .name(props.name())
                .description("Builds the GPU streaming host AMI and copies it to every active region")
                .imageRecipeArn(props.recipe().arn())
                .infrastructureConfigurationArn(props.infrastructure().arn())
                .distributionConfigurationArn(props.distribution().arn())
                .imageTestsConfiguration(CfnImagePipeline.ImageTestsConfigurationProperty.builder()
                        .imageTestsEnabled(true)
                        .timeoutMinutes(props.settings().testTimeoutMinutes())
                        .build())
                .enhancedImageMetadataEnabled(true)
                .imageScanningConfiguration(CfnImagePipeline.ImageScanningConfigurationProperty.builder()
                        .imageScanningEnabled(props.settings().imageScanning())
                        .build())
                .imageTags(props.imageTags())
                .status("ENABLED");
        props.settings().schedule().ifPresent(cron -> builder.schedule(CfnImagePipeline.ScheduleProperty.builder()
                .scheduleExpression(cron)
                .pipelineExecutionStartCondition("EXPRESSION_MATCH_AND_DEPENDENCY_UPDATES_AVAILABLE")
                .build()));
        pipeline = builder.build();
        // ImageTags is in CloudFormation's schema (this L1 is generated from it) but newer than the schema
        // cfn-lint 1.51 ships; only that one check is switched off, and only on this resource.
        pipeline.getCfnOptions().setMetadata(Map.of("cfn-lint", Map.of("config", Map.of(
                "ignore_checks", java.util.List.of("E3002")))));
    }

    public String arn() {
        return pipeline.getAttrArn();
    }
}
