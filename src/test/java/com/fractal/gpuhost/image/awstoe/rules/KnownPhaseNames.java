package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code phases} is a non-empty list of mappings, each with a {@code name} among build, validate and test
 * (each at most once) and a non-empty list of {@code steps}; no other key.
 */
public final class KnownPhaseNames implements ComponentRule {
    private static final Set<String> PHASE_KEYS = Set.of("name", "steps");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        JsonNode phases = document.root().get("phases");
        if (phases == null || phases.isNull()) {
            return findings; // RequiredTopLevelKeys reports it
        }
        if (!phases.isArray() || phases.isEmpty()) {
            findings.add(finding(document, "'phases' must be a non-empty list"));
            return findings;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < phases.size(); i++) {
            JsonNode phase = phases.get(i);
            String where = "#" + (i + 1);
            if (!phase.isObject()) {
                findings.add(finding(document, where, "a phase must be a mapping with 'name' and 'steps'"));
                continue;
            }
            String name = phase.path("name").asText("");
            if (!AwstoeDocument.PHASE_ORDER.contains(name)) {
                findings.add(finding(document, name.isEmpty() ? where : name, "phase name '" + name
                        + "' is not an AWSTOE phase; allowed: " + AwstoeDocument.PHASE_ORDER));
            } else if (!seen.add(name)) {
                findings.add(finding(document, name, "phase '" + name + "' appears more than once"));
            }
            JsonNode steps = phase.get("steps");
            if (steps == null || !steps.isArray() || steps.isEmpty()) {
                findings.add(finding(document, name.isEmpty() ? where : name, "'steps' must be a non-empty list"));
            }
            phase.fieldNames().forEachRemaining(key -> {
                if (!PHASE_KEYS.contains(key)) {
                    findings.add(finding(document, name, "unknown phase key '" + key + "'; allowed: " + PHASE_KEYS));
                }
            });
        }
        return findings;
    }
}
