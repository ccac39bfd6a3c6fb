package com.fractal.gpuhost.nag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.StackMessages;
import com.fractal.gpuhost.TestApps;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagRuleCompliance;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.CfnResourceProps;
import software.amazon.awscdk.Stack;

/**
 * Each project rule on its compliant and its non-compliant fixture (src/test/resources/nag/<Rule>.<variant>.json:
 * one resource, as a template holds it), through the pack as cdk-nag applies it, and on the app's own resources.
 */
class ProjectRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Arguments> fixtures() {
        return ProjectChecks.RULES.stream().flatMap(rule -> Stream.of(
                Arguments.of(rule, "compliant", NagRuleCompliance.COMPLIANT),
                Arguments.of(rule, "noncompliant", NagRuleCompliance.NON_COMPLIANT)));
    }

    @ParameterizedTest(name = "{0} on its {1} fixture")
    @MethodSource("fixtures")
    void eachRuleTellsItsFixturesApart(final ProjectRule rule, final String variant, final NagRuleCompliance expected)
            throws IOException {
        CfnResource resource = fixture(new Stack(new App(), "Fixture"), rule, variant);
        assertEquals(expected, rule.check(resource.getCfnResourceType(), ProjectChecks.properties(resource)));
    }

    @Test
    void aRuleDoesNotApplyToAnotherType() {
        for (ProjectRule rule : ProjectChecks.RULES) {
            assertEquals(NagRuleCompliance.NOT_APPLICABLE, rule.check("AWS::SNS::Topic", Map.of()), rule.id());
        }
    }

    /** The pack beside the stacks reports every non-compliant fixture as an error, except the one suppressed. */
    @Test
    void thePackFlagsEachNonCompliantResourceUnlessSuppressed() throws IOException {
        App app = new App();
        Stack stack = new Stack(app, "Fixtures");
        for (ProjectRule rule : ProjectChecks.RULES) {
            CfnResource resource = fixture(stack, rule, "noncompliant");
            if (rule instanceof PublicAmi) {
                NagSuppressions.addResourceSuppressions(resource, List.of(NagPackSuppression.builder()
                        .id(ProjectChecks.PACK + "-PublicAmi").reason("fixture: accepted on purpose").build()));
            }
        }
        Aspects.of(app).add(new ProjectChecks(NagPackProps.builder().reports(false).build()));
        app.synth();
        Map<String, String> errors = new TreeMap<>();
        StackMessages.errors(stack, ProjectChecks.PACK + "-")
                .forEach(m -> errors.put(StackMessages.text(m).split(":")[0], m.getId()));
        assertEquals(Map.of("FractalProject-ImdsV1OnBuildInstances", "/Fixtures/ImdsV1OnBuildInstances",
                "FractalProject-UnencryptedRecipeVolume", "/Fixtures/UnencryptedRecipeVolume",
                "FractalProject-WildcardTrustPrincipal", "/Fixtures/WildcardTrustPrincipal"), errors);
    }

    /** The rules read the app's own L1 resources (not NOT_APPLICABLE for want of properties) and pass. */
    @Test
    void theAppsImageResourcesAreCheckedAndCompliant() throws IOException {
        Path assembly = Path.of(TestApps.synthesize(Map.of()).assembly().getDirectory());
        JsonNode report = JSON.readTree(assembly.resolve(ProjectChecks.PACK + "-FractalHostImagePipeline-NagReport.json")
                .toFile());
        Map<String, String> verdicts = new TreeMap<>();
        report.path("lines").forEach(line -> verdicts.merge(line.path("ruleId").asText(),
                line.path("compliance").asText(), (a, b) -> a.equals(b) ? a : a + ", " + b));
        assertEquals(Map.of("FractalProject-ImdsV1OnBuildInstances", "Compliant", "FractalProject-PublicAmi", "Compliant",
                "FractalProject-UnencryptedRecipeVolume", "Compliant", "FractalProject-WildcardTrustPrincipal",
                "Compliant"), verdicts);
    }

    @SuppressWarnings("unchecked")
    private static CfnResource fixture(final Stack stack, final ProjectRule rule, final String variant)
            throws IOException {
        Map<String, Object> resource = JSON.readValue(Path.of("src/test/resources/nag", rule.id() + "." + variant
                + ".json").toFile(), Map.class);
        return new CfnResource(stack, rule.id(), CfnResourceProps.builder().type((String) resource.get("Type"))
                .properties((Map<String, Object>) resource.get("Properties")).build());
    }
}
