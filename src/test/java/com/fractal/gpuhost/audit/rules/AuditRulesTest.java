package com.fractal.gpuhost.audit.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.audit.StackTemplate;
import com.fractal.gpuhost.audit.model.AuditModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule against two small templates in src/test/resources/audit/rules/: {@code <Rule>.compliant.json},
 * which no rule flags, and {@code <Rule>.noncompliant.json}, which only this rule flags, with the message
 * fragment named in its {@code Metadata.AuditTest.expect}.
 */
class AuditRulesTest {
    private static final String FIXTURES = "/audit/rules/";

    static Stream<Named<AuditRule>> rules() {
        return AuditRules.ALL.stream().map(rule -> Named.of(rule.id(), rule));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void compliantTemplateRaisesNoFlag(final AuditRule rule) {
        AuditModel model = model(rule.id() + ".compliant.json");
        assertEquals(List.of(), AuditRules.evaluate(model), () -> "the compliant template of " + rule.id()
                + " must pass every rule");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void nonCompliantTemplateIsFlaggedByThisRuleOnly(final AuditRule rule) {
        String name = rule.id() + ".noncompliant.json";
        JsonNode template = fixture(name);
        String expected = template.path("Metadata").path("AuditTest").path("expect").asText();
        assertFalse(expected.isEmpty(), () -> name + " must name the expected message in Metadata.AuditTest.expect");

        List<Flag> flags = AuditRules.evaluate(AuditModel.of(List.of(stack(name, template))));

        assertFalse(flags.isEmpty(), () -> rule.id() + " did not flag " + name);
        assertEquals(List.of(rule.id()), flags.stream().map(Flag::ruleId).distinct().toList(),
                () -> name + " must be flagged by " + rule.id() + " only:\n" + lines(flags));
        assertTrue(flags.stream().anyMatch(flag -> flag.message().contains(expected)),
                () -> "no flag of " + rule.id() + " says '" + expected + "':\n" + lines(flags));
        assertEquals(List.of(), flags.stream().filter(flag -> flag.fact() == null).toList(), "every flag names its fact");
    }

    @Test
    void sshOpenToTheWorldIsCriticalAndNotAlsoAPlainWorldOpenFlag() {
        List<Flag> flags = AuditRules.evaluate(model("WorldOpenSshOrRdp.noncompliant.json"));
        assertEquals(1, flags.size(), () -> lines(flags));
        assertEquals(Severity.CRITICAL, flags.get(0).severity());
        assertEquals("fixture: ingress tcp 20-25 from 0.0.0.0/0", flags.get(0).subject());
    }

    @Test
    void wildcardSeverityFollowsHowWideTheWildcardIs() {
        assertEquals(Severity.HIGH, AuditRules.evaluate(model("WildcardAction.noncompliant.json")).get(0).severity());
        assertEquals(Severity.HIGH, AuditRules.evaluate(model("WildcardResource.noncompliant.json")).get(0).severity());
        assertEquals(Severity.CRITICAL,
                AuditRules.evaluate(model("WildcardTrustPrincipal.noncompliant.json")).get(0).severity());
    }

    @Test
    void everyRuleIsRegisteredOnceAndDescribed() {
        List<String> ids = AuditRules.ALL.stream().map(AuditRule::id).toList();
        assertEquals(ids.stream().distinct().toList(), ids);
        AuditRules.ALL.forEach(rule -> assertFalse(rule.description().isBlank(), rule.id()));
    }

    @Test
    void nagFormMatchesCdkNagAppliesTo() {
        assertEquals("arn:<AWS::Partition>:s3:::<Bucket.Arn>/logs/*",
                AuditRule.nagForm("arn:${AWS::Partition}:s3:::{GetAtt: Bucket.Arn}/logs/*"));
    }

    private static AuditModel model(final String name) {
        return AuditModel.of(List.of(stack(name, fixture(name))));
    }

    private static StackTemplate stack(final String name, final JsonNode template) {
        return new StackTemplate("Fixture", "unknown-account", "us-east-1", name, template, List.of());
    }

    private static JsonNode fixture(final String name) {
        try (InputStream in = AuditRulesTest.class.getResourceAsStream(FIXTURES + name)) {
            assertNotNull(in, () -> "missing fixture src/test/resources" + FIXTURES + name);
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String lines(final List<Flag> flags) {
        return flags.stream().map(flag -> "  " + flag.ruleId() + " " + flag.severity() + " " + flag.subject() + ": "
                + flag.message()).collect(Collectors.joining("\n"));
    }
}
