package com.fractal.gpuhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.network.NetworkStack;
import com.fractal.gpuhost.settings.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;

/** Which stacks the settings produce: CI's `cdk deploy --all` must never touch a dev instance. */
class StackSetTest {
    @Test
    void defaultsGiveOneNetworkStackPerActiveRegionThenThePipelineAndNoDevStack() {
        TestApps.Synthesized app = TestApps.synthesize(Map.of());
        ResourceNames names = app.settings().names();
        List<String> expected = new ArrayList<>();
        app.settings().activeRegions().forEach(region -> expected.add(names.networkStack(region)));
        expected.add(names.imagePipelineStack());
        assertEquals(expected, app.stacks().stream().map(Stack::getStackName).toList());
        app.stacks().stream().filter(NetworkStack.class::isInstance).forEach(stack ->
                assertEquals(names.networkStack(stack.getRegion()), stack.getStackName()));
        assertEquals(app.settings().buildRegion(), app.stack(names.imagePipelineStack()).getRegion());
    }

    @Test
    void overriddenRegionsGiveExactlyTheirNetworkStacks() {
        TestApps.Synthesized app = TestApps.synthesize(Map.of("activeRegions", "us-east-1,eu-west-1"));
        assertEquals(List.of("FractalNetwork-us-east-1", "FractalNetwork-eu-west-1", "FractalHostImagePipeline"),
                app.stacks().stream().map(Stack::getStackName).toList());
    }

    @Test
    void pipelineIsDeployedAfterItsBuildRegionsNetworkOnly() {
        Stack pipeline = TestApps.synthesize(Map.of("buildRegion", "eu-west-1")).stacks().stream()
                .filter(stack -> stack.getStackName().equals("FractalHostImagePipeline")).findFirst().orElseThrow();
        assertEquals(List.of("FractalNetwork-eu-west-1"),
                pipeline.getDependencies().stream().map(Stack::getStackName).toList());
    }

    @Test
    void developerAddsExactlyOneDevStack() {
        List<String> devStacks = TestApps.synthesize(Map.of("developer", "alice")).stacks().stream()
                .map(Stack::getStackName).filter(name -> name.startsWith("FractalDevInstance-")).toList();
        assertEquals(List.of("FractalDevInstance-alice"), devStacks);
    }

    @Test
    void everyStackHasADescriptionAndNoVersionReporting() {
        for (Stack stack : TestApps.synthesize(Map.of("developer", "alice")).stacks()) {
            assertNotNull(stack.getTemplateOptions().getDescription(), stack.getStackName());
            assertTrue(stack.getTemplateOptions().getDescription().length() > 20, stack.getStackName());
            assertTrue(software.amazon.awscdk.assertions.Template.fromStack(stack)
                    .findResources("AWS::CDK::Metadata").isEmpty(), stack.getStackName());
        }
    }
}
