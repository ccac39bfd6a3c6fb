package com.fractal.gpuhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;

/** Which stacks the settings produce: CI's `cdk deploy --all` must never touch a dev instance. */
class StackSetTest {
    private static final List<String> NETWORK_STACKS = List.of("FractalNetwork-us-east-1", "FractalNetwork-us-east-2",
            "FractalNetwork-us-west-1", "FractalNetwork-us-west-2", "FractalNetwork-ca-central-1",
            "FractalNetwork-eu-west-1", "FractalNetwork-eu-central-1");

    @Test
    void defaultsGiveTheSevenNetworkStacksAndNoDevStack() {
        List<Stack> stacks = TestApps.synthesize(Map.of()).stacks().stream()
                .filter(stack -> stack.getStackName().startsWith("FractalNetwork-")
                        || stack.getStackName().startsWith("FractalDevInstance-"))
                .toList();
        assertEquals(NETWORK_STACKS, stacks.stream().map(Stack::getStackName).toList());
        stacks.forEach(stack -> assertEquals(stack.getStackName().substring("FractalNetwork-".length()),
                stack.getRegion()));
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
