package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code constants}, when present, is a list of one-key mappings: a unique name, not also a parameter's,
 * to {@code type: string} and a string {@code value}; nothing else.
 */
public final class ConstantDeclarationsWellFormed implements ComponentRule {
    private static final Set<String> KEYS = Set.of("type", "value");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        JsonNode list = document.root().get("constants");
        if (list == null) {
            return findings;
        }
        if (!list.isArray() || list.isEmpty()) {
            findings.add(finding(document, "'constants' must be a non-empty list of one-key mappings"));
            return findings;
        }
        Set<String> parameters = new HashSet<>();
        document.parameters().forEach(parameter -> parameters.add(parameter.getKey()));
        Set<String> names = new HashSet<>();
        for (JsonNode item : list) {
            if (!item.isObject() || item.size() != 1) {
                findings.add(finding(document, "each constant must be a one-key mapping (name: declaration), not "
                        + item));
                continue;
            }
            Map.Entry<String, JsonNode> entry = item.fields().next();
            String name = entry.getKey();
            JsonNode declaration = entry.getValue();
            if (!ParameterDeclarationsWellFormed.NAME.matcher(name).matches()) {
                findings.add(finding(document, "constant name '" + name
                        + "' is invalid; allowed: a letter, then letters, digits or '_'"));
            }
            if (!names.add(name)) {
                findings.add(finding(document, "constant '" + name + "' is declared more than once"));
            }
            if (parameters.contains(name)) {
                findings.add(finding(document, "'" + name + "' is declared both as a parameter and as a constant"));
            }
            if (!declaration.isObject()) {
                findings.add(finding(document, "constant '" + name + "' must map to {type, value}"));
                continue;
            }
            if (!"string".equals(declaration.path("type").asText(null))) {
                findings.add(finding(document, "constant '" + name + "' has type '"
                        + declaration.path("type").asText("") + "'; allowed: string"));
            }
            if (!declaration.path("value").isTextual()) {
                findings.add(finding(document, "constant '" + name + "' needs a string 'value'"));
            }
            declaration.fieldNames().forEachRemaining(key -> {
                if (!KEYS.contains(key)) {
                    findings.add(finding(document, "constant '" + name + "' has an unknown key '" + key
                            + "'; allowed: " + KEYS));
                }
            });
        }
        return findings;
    }
}
