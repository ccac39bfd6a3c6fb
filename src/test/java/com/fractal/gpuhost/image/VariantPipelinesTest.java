package com.fractal.gpuhost.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.StackMessages;
import com.fractal.gpuhost.TestApps;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;
import software.amazon.awscdk.cxapi.SynthesisMessage;

/**
 * Two active variants, the current one and the retired g3 one: each is a whole pipeline with its own base
 * image, driver, instance types and SSM names, beside shared scripts, components, logs and topic whose
 * logical IDs are those of the one-variant stack (a changed ID would replace the bucket, key or topic).
 */
class VariantPipelinesTest {
    private static Stack both;
    private static Template template;
    private static Template defaults;

    @BeforeAll
    static void synthesize() {
        TestApps.Synthesized app = TestApps.synthesize(TestApps.TWO_VARIANTS);
        both = app.stack("FractalHostImagePipeline");
        template = Template.fromStack(both);
        defaults = Template.fromStack(TestApps.synthesize(Map.of()).stack("FractalHostImagePipeline"));
    }

    /** The expectations of one variant, written out here rather than derived from the code under test. */
    record Expected(String name, String parentImage, List<String> instanceTypes, String driverKey) {
    }

    static final List<Expected> VARIANTS = List.of(
            new Expected("ubuntu24-r580",
                    "ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
                    List.of("g4dn.xlarge", "g5.xlarge", "g6.xlarge"),
                    "grid-19.0/NVIDIA-Linux-x86_64-580.65.06-grid-aws.run"),
            new Expected("ubuntu20-r535",
                    "ssm:/aws/service/canonical/ubuntu/server/20.04/stable/current/amd64/hvm/ebs-gp2/ami-id",
                    List.of("g3.4xlarge", "g3s.xlarge", "g3.8xlarge", "g3.16xlarge"),
                    "grid-16.6/NVIDIA-Linux-x86_64-535.183.01-grid-aws.run"));

    @Test
    void eachVariantHasItsOwnRecipeOnItsBaseImageGivenItsName() {
        template.resourceCountIs("AWS::ImageBuilder::ImageRecipe", 2);
        for (Expected variant : VARIANTS) {
            template.hasResourceProperties("AWS::ImageBuilder::ImageRecipe", Map.of(
                    "Name", "fractal-gpu-host-" + variant.name(),
                    "ParentImage", variant.parentImage(),
                    "Components", Match.arrayWith(List.of(Match.objectLike(Map.of("Parameters", Match.arrayWith(
                            List.of(Map.of("Name", "ImageVariant", "Value", List.of(variant.name()))))))))));
        }
    }

    @Test
    void eachVariantBuildsOnItsTypesAndReadsOnlyItsDriver() {
        for (Expected variant : VARIANTS) {
            template.hasResourceProperties("AWS::ImageBuilder::InfrastructureConfiguration", Map.of(
                    "Name", "fractal-gpu-host-" + variant.name() + "-build",
                    "InstanceTypes", variant.instanceTypes()));
            template.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Match.objectLike(Map.of(
                    "Statement", Match.arrayWith(List.of(Match.objectLike(Map.of(
                            "Sid", "ReadHostScriptsAndNvidiaGridDriver",
                            "Resource", Match.arrayWith(List.of(
                                    HostImagePipelineStackTest.mirrorObjectArn(variant.driverKey())))))))))));
        }
    }

    @Test
    void everySsmNameAndResourceNameCarriesTheVariant() {
        for (Expected variant : VARIANTS) {
            String name = variant.name();
            template.hasResourceProperties("AWS::SSM::Parameter", Map.of("Name",
                    "/fractal/image/" + name + "/pipeline-arn"));
            template.hasResourceProperties("AWS::ImageBuilder::DistributionConfiguration", Map.of(
                    "Name", "fractal-gpu-host-" + name,
                    "Distributions", Match.arrayWith(List.of(Match.objectLike(Map.of("Region", "eu-west-1",
                            "SsmParameterConfigurations", List.of(Map.of("ParameterName",
                                    "/imagebuilder/fractal/" + name + "/ami-id", "DataType", "aws:ec2:image")),
                            "AmiDistributionConfiguration", Match.objectLike(Map.of("AmiTags", Match.objectLike(
                                    Map.of("fractal:image-pipeline", "fractal-gpu-host-" + name,
                                            "image-variant", name))))))))));
            template.hasResourceProperties("AWS::ImageBuilder::ImagePipeline", Map.of(
                    "Name", "fractal-gpu-host-" + name,
                    "ImageTags", Map.of("fractal:image", "gpu-host-" + name)));
            template.hasResourceProperties("AWS::ImageBuilder::LifecyclePolicy", Map.of(
                    "Name", "fractal-gpu-host-" + name + "-retention",
                    "ResourceSelection", Map.of("TagMap", Map.of("fractal:image", "gpu-host-" + name))));
        }
    }

    @Test
    void scriptsComponentsLogsTopicAndDriverMirrorAreSharedOnce() {
        template.resourceCountIs("AWS::ImageBuilder::Component", 4);
        // The build logs, the driver mirror and the mirror's access logs.
        template.resourceCountIs("AWS::S3::Bucket", 3);
        template.resourceCountIs("AWS::SNS::Topic", 1);
        template.resourceCountIs("AWS::KMS::Key", 2);
        template.resourceCountIs("AWS::ImageBuilder::ImagePipeline", 2);
    }

    /** Pinned: these IDs are the stateful resources' identities; changing one replaces the resource. */
    @Test
    void theSharedStatefulResourcesKeepTheirLogicalIds() {
        Set<String> pinned = new TreeSet<>(List.of("BuildLogsBucketEBAFB2F9", "BuildLogsKey5523759A",
                "BuildNotificationsTopic8ACC3A87", "BuildNotificationsKey901AB227",
                "DriverMirrorBucket476B9C6A", "DriverMirrorAccessLogsE2F827EE"));
        for (Template each : List.of(template, defaults)) {
            Set<String> ids = new TreeSet<>();
            ids.addAll(each.findResources("AWS::S3::Bucket").keySet());
            ids.addAll(each.findResources("AWS::KMS::Key").keySet());
            ids.addAll(each.findResources("AWS::SNS::Topic").keySet());
            assertEquals(pinned, ids);
        }
    }

    @Test
    void theRetiredVariantSynthesizesWithAWarningNamingAwssRetirementDate() {
        assertEquals(List.of("/FractalHostImagePipeline/Ubuntu20R535"), StackMessages.warnings(both,
                "Image variant ubuntu20-r535 is retired: AWS retired its instance family \\(g3, g3s\\) on 2025-10-31")
                .stream().map(SynthesisMessage::getId).toList());
        assertTrue(StackMessages.warnings(TestApps.synthesize(Map.of()).stack("FractalHostImagePipeline"), "retired")
                .isEmpty(), "the default has no warning");
    }
}
