package com.fractal.gpuhost.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The allowed text a user reads and the check the loader runs come from one declaration: for every bounded
 * setting, the value at each bound is accepted and the value just past it is refused, naming the key, the
 * value and the declared allowed text.
 */
class SettingBoundariesTest {
    /** Settings given only together: each boundary value comes with a valid companion. */
    private static final Map<String, Map<String, Object>> COMPANIONS = Map.of(
            "slackWorkspaceId", Map.of("slackChannelId", "C07EZ1ABC23"),
            "slackChannelId", Map.of("slackWorkspaceId", "T07EA123LEP"));

    static Stream<Arguments> boundaries() {
        return SettingDeclarations.all().stream().flatMap(setting -> setting.boundaries().stream()
                .map(boundary -> Arguments.of(setting, boundary)));
    }

    @ParameterizedTest(name = "{0}={1}")
    @MethodSource("boundaries")
    void theValueAtEachBoundIsAcceptedAndTheValueJustPastItRefused(final Setting<?> setting,
            final Setting.Boundary boundary) {
        Map<String, Object> overrides = new HashMap<>(Map.of("developer", "ok"));
        overrides.putAll(COMPANIONS.getOrDefault(setting.key(), Map.of()));
        overrides.put(setting.key(), boundary.value());
        List<String> problems = problems(overrides).stream().filter(problem -> problem.startsWith(setting.key() + ": ")
                || problem.startsWith(setting.key() + ".")).toList();
        if (boundary.inside().isPresent()) {
            // A bound of one field inside a structured setting: refused at its key path with that field's text.
            Setting.Refusal refusal = boundary.inside().get();
            assertEquals(1, problems.size(), () -> setting.key() + "=" + boundary.value() + ": " + problems);
            assertTrue(problems.get(0).startsWith(refusal.keyPath() + ": " + refusal.quoted() + " "), problems.get(0));
            assertTrue(problems.get(0).endsWith("; allowed: " + refusal.allowed()), problems.get(0));
        } else if (boundary.accepted()) {
            assertEquals(List.of(), problems, () -> setting.key() + "=" + boundary.value() + " is within "
                    + setting.allowed());
        } else {
            assertEquals(1, problems.size(), () -> setting.key() + "=" + boundary.value() + ": " + problems);
            String problem = problems.get(0);
            assertTrue(problem.contains("\"" + boundary.value() + "\"") || problem.contains(" items\" is too many"),
                    problem);
            assertTrue(problem.endsWith("; allowed: " + setting.allowed()), problem);
        }
    }

    @Test
    void theNestedSettingsHoldTheirFieldsToTheirBounds() {
        List<Setting.Boundary> vpcs = SettingDeclarations.EXISTING_VPCS.boundaries();
        assertTrue(SettingDeclarations.EXISTING_VPCS.allowed().contains("at least " + ExistingVpcEntry.MIN_SUBNETS
                + " public subnets"), SettingDeclarations.EXISTING_VPCS.allowed());
        assertTrue(vpcs.stream().anyMatch(boundary -> !boundary.accepted()
                && boundary.inside().orElseThrow().keyPath().equals("existingVpcs.us-east-1.subnetIds")), vpcs::toString);
        assertTrue(SettingDeclarations.IMAGE_VARIANT_CATALOG.allowed().contains("up to "
                + VariantCatalogEntry.MAX_NAME_WORDS + " lowercase words"), SettingDeclarations.IMAGE_VARIANT_CATALOG
                .allowed());
        assertEquals(2, SettingDeclarations.IMAGE_VARIANT_CATALOG.boundaries().size());
    }

    @Test
    void theIssuesExampleHolds() {
        Setting<?> ports = SettingDeclarations.DYNAMIC_HOST_PORTS;
        assertTrue(ports.allowed().contains("within 1024-65535"), ports.allowed());
        assertEquals(List.of(new Setting.Boundary("1024-1024", true), new Setting.Boundary("1023-2000", false),
                new Setting.Boundary("1024-65535", true), new Setting.Boundary("1024-65536", false)), ports.boundaries());
    }

    @Test
    void everyNumberAndEveryLengthLimitedTextStatesItsBounds() {
        List<String> unbounded = SettingDeclarations.all().stream()
                .filter(setting -> setting.allowed().matches(".*\\b\\d+ to \\d+\\b.*|.*\\d+-\\d+.*|.*up to \\d+\\b.*"))
                .filter(setting -> setting.boundaries().isEmpty())
                .map(Setting::key).toList();
        // githubRepo names two lengths (owner, name) inside one value: its check is GitHub's own pattern.
        assertEquals(List.of("githubRepo"), unbounded, "declarations whose allowed text names bounds that no "
                + "boundary value tests");
        assertFalse(boundaries().toList().size() < 40, "too few boundary values: " + boundaries().count());
    }

    private static List<String> problems(final Map<String, Object> overrides) {
        try {
            TestApps.settings(overrides);
            return List.of();
        } catch (InvalidSettingsException e) {
            return e.problems();
        }
    }
}
