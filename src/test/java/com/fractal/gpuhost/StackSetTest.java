package com.fractal.gpuhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.network.NetworkStack;
import com.fractal.gpuhost.settings.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

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

    /**
     * Two active regions with the build region second (so the first network stack is not the build region's), a
     * developer and a repository, and another SSM prefix: one configuration for the tests below.
     */
    private static final Map<String, Object> OVERRIDDEN = Map.of("developer", "alice",
            "githubRepo", "octo-org/gpu-host-infra", "activeRegions", "eu-west-1,us-east-2",
            "buildRegion", "us-east-2", "ssmPrefix", "/probe");

    @Test
    void overriddenRegionsGiveExactlyTheirNetworkStacksThenThePipelineThenTheDevAndCiStacks() {
        assertEquals(List.of("FractalNetwork-eu-west-1", "FractalNetwork-us-east-2", "FractalHostImagePipeline",
                "FractalDevInstance-alice", "FractalCiDeployRole"),
                TestApps.synthesize(OVERRIDDEN).stacks().stream().map(Stack::getStackName).toList());
    }

    @Test
    void pipelineIsDeployedAfterItsBuildRegionsNetworkOnly() {
        Stack pipeline = TestApps.synthesize(OVERRIDDEN).stack("FractalHostImagePipeline");
        assertEquals(List.of("FractalNetwork-us-east-2"),
                pipeline.getDependencies().stream().map(Stack::getStackName).toList());
    }

    @Test
    void developerAddsExactlyOneDevStack() {
        List<String> devStacks = TestApps.synthesize(OVERRIDDEN).stacks().stream()
                .map(Stack::getStackName).filter(name -> name.startsWith("FractalDevInstance-")).toList();
        assertEquals(List.of("FractalDevInstance-alice"), devStacks);
    }

    /**
     * What the CloudFormation console shows of each stack: a description in the template, within
     * CloudFormation's 1,024 bytes, naming what sets this stack apart (its region, its engineer, its
     * repository, where it publishes), so no two stacks read alike. Non-default settings, so that a
     * description written for the defaults fails.
     */
    @Test
    void everyStackDescribesItselfInItsTemplateAndReportsNoVersion() {
        TestApps.Synthesized app = TestApps.synthesize(OVERRIDDEN);
        ResourceNames names = app.settings().names();
        Map<String, List<String>> mustName = new LinkedHashMap<>();
        for (String region : app.settings().activeRegions()) {
            mustName.put(names.networkStack(region), List.of(region, "/probe"));
        }
        mustName.put(names.imagePipelineStack(), List.of("us-east-2", "ubuntu24-r580",
                app.settings().ssmNames().hostAmiId("<variant>")));
        mustName.put(names.devInstanceStack("alice"), List.of("alice"));
        mustName.put(names.ciDeployRoleStack(), List.of("octo-org/gpu-host-infra"));
        assertEquals(mustName.keySet(), app.stacks().stream().map(Stack::getStackName)
                .collect(Collectors.toCollection(LinkedHashSet::new)));

        Set<String> seen = new HashSet<>();
        for (Stack stack : app.stacks()) {
            Template template = Template.fromStack(stack);
            Object description = template.toJSON().get("Description");
            assertTrue(description instanceof String, stack.getStackName() + " has no Description in its template");
            String text = (String) description;
            assertTrue(text.getBytes(StandardCharsets.UTF_8).length <= 1024,
                    stack.getStackName() + ": a description over CloudFormation's 1,024 bytes: " + text);
            for (String fact : mustName.get(stack.getStackName())) {
                assertTrue(text.contains(fact), stack.getStackName() + "'s description does not name " + fact
                        + ": " + text);
            }
            assertTrue(seen.add(text), stack.getStackName() + "'s description repeats another stack's: " + text);
            assertTrue(template.findResources("AWS::CDK::Metadata").isEmpty(), stack.getStackName());
        }
    }
}
