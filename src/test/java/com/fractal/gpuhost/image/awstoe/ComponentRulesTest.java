package com.fractal.gpuhost.image.awstoe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.image.awstoe.rules.InlineDataSize;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule against two small fixtures in src/test/resources/awstoe/rules/: {@code <Rule>.compliant.yml},
 * which passes every rule, and {@code <Rule>.noncompliant.yml}, which only this rule rejects, with the
 * message fragment named in its first line ({@code # expect: ...}).
 */
class ComponentRulesTest {
    private static final String FIXTURES = "/awstoe/rules/";
    private static final String EXPECT = "# expect: ";

    static Stream<Named<ComponentRule>> rules() {
        return ComponentValidator.RULES.stream().map(rule -> Named.of(rule.id(), rule));
    }

    /** Rules whose non-compliant case is built in a test of its own instead of a fixture file. */
    static Stream<Named<ComponentRule>> rulesWithNonCompliantFixture() {
        return rules().filter(rule -> !(rule.getPayload() instanceof InlineDataSize));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void compliantFixturePassesEveryRule(final ComponentRule rule) {
        AwstoeDocument document = fixture(rule.id() + ".compliant.yml");
        assertEquals(List.of(), ComponentValidator.validate(document),
                () -> "the compliant fixture of " + rule.id() + " must pass every rule");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rulesWithNonCompliantFixture")
    void nonCompliantFixtureFiresThisRuleOnly(final ComponentRule rule) {
        String name = rule.id() + ".noncompliant.yml";
        AwstoeDocument document = fixture(name);
        String expected = document.source().lines().findFirst()
                .filter(line -> line.startsWith(EXPECT))
                .map(line -> line.substring(EXPECT.length()))
                .orElseThrow(() -> new AssertionError(name + " must start with '" + EXPECT + "<message fragment>'"));

        List<Finding> findings = ComponentValidator.validate(document);

        assertFalse(findings.isEmpty(), () -> rule.id() + " did not fire on " + name);
        assertEquals(List.of(rule.id()), findings.stream().map(Finding::rule).distinct().toList(),
                () -> name + " must break " + rule.id() + " only; findings:\n" + lines(findings));
        assertTrue(findings.stream().anyMatch(finding -> finding.message().contains(expected)),
                () -> "no finding of " + rule.id() + " says '" + expected + "'; findings:\n" + lines(findings));
    }

    @Test
    void inlineDataSizeFiresAboveSixteenThousandCharacters() {
        String small = fixture("InlineDataSize.compliant.yml").source();
        String atLimit = small + "#".repeat(InlineDataSize.MAX_CHARACTERS - small.length() - 1) + "\n";
        String overLimit = atLimit + "\n";

        assertEquals(List.of(), new InlineDataSize().check(AwstoeDocument.parse("at-limit.yml", atLimit)));
        List<Finding> findings = ComponentValidator.validate(AwstoeDocument.parse("over-limit.yml", overLimit));
        assertEquals(1, findings.size(), () -> lines(findings));
        assertEquals("InlineDataSize", findings.get(0).rule());
        assertTrue(findings.get(0).message().contains("16001 characters"), findings.get(0).message());
    }

    @Test
    void findingsNameDocumentPhaseAndStep() {
        List<Finding> findings = ComponentValidator.validate(fixture("OnFailureValues.noncompliant.yml"));
        assertEquals(1, findings.size(), () -> lines(findings));
        Finding finding = findings.get(0);
        assertEquals("OnFailureValues.noncompliant.yml", finding.document());
        assertEquals("build", finding.phase());
        assertEquals("MustWork", finding.step());
        assertTrue(finding.toString().startsWith("OnFailureValues.noncompliant.yml [phase build, step MustWork] "
                + "OnFailureValues: "), finding.toString());
    }

    @Test
    void everyRuleIsRegisteredOnce() {
        List<String> ids = ComponentValidator.RULES.stream().map(ComponentRule::id).toList();
        assertEquals(ids.stream().distinct().toList(), ids);
    }

    @Test
    void loaderRejectsInvalidYamlDuplicateKeysAndNonMappings() {
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> AwstoeDocument.parse("broken.yml", "name: [unclosed\n"));
        assertTrue(broken.getMessage().startsWith("broken.yml: not valid YAML"), broken.getMessage());

        IllegalArgumentException duplicate = assertThrows(IllegalArgumentException.class,
                () -> AwstoeDocument.parse("duplicate.yml", "name: a\nname: b\n"));
        assertTrue(duplicate.getMessage().contains("name"), duplicate.getMessage());

        IllegalArgumentException list = assertThrows(IllegalArgumentException.class,
                () -> AwstoeDocument.parse("list.yml", "- name: a\n"));
        assertEquals("list.yml: the document must be a YAML mapping", list.getMessage());
    }

    private static AwstoeDocument fixture(final String name) {
        try (InputStream in = ComponentRulesTest.class.getResourceAsStream(FIXTURES + name)) {
            assertNotNull(in, () -> "missing fixture src/test/resources" + FIXTURES + name);
            return AwstoeDocument.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String lines(final List<Finding> findings) {
        return findings.stream().map(finding -> "  " + finding).collect(Collectors.joining("\n"));
    }
}
