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
import java.util.regex.Pattern;

/**
 * {@code parameters}, when present, is a list of one-key mappings: a unique name of letters, digits and '_'
 * to a declaration with {@code type: string}, a non-empty {@code description} and optionally a string
 * {@code default}; nothing else.
 */
public final class ParameterDeclarationsWellFormed implements ComponentRule {
    static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");
    private static final Set<String> KEYS = Set.of("type", "description", "default");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        JsonNode list = document.root().get("parameters");
        if (list == null) {
            return findings;
        }
        if (!list.isArray() || list.isEmpty()) {
            findings.add(finding(document, "'parameters' must be a non-empty list of one-key mappings"));
            return findings;
        }
        Set<String> names = new HashSet<>();
        for (JsonNode item : list) {
            if (!item.isObject() || item.size() != 1) {
                findings.add(finding(document, "each parameter must be a one-key mapping (name: declaration), not "
                        + item));
                continue;
            }
            Map.Entry<String, JsonNode> entry = item.fields().next();
            String name = entry.getKey();
            JsonNode declaration = entry.getValue();
            if (!NAME.matcher(name).matches()) {
                findings.add(finding(document, "parameter name '" + name
                        + "' is invalid; allowed: a letter, then letters, digits or '_'"));
            }
            if (!names.add(name)) {
                findings.add(finding(document, "parameter '" + name + "' is declared more than once"));
            }
            if (!declaration.isObject()) {
                findings.add(finding(document, "parameter '" + name + "' must map to {type, description, default}"));
                continue;
            }
            if (!"string".equals(declaration.path("type").asText(null))) {
                findings.add(finding(document, "parameter '" + name + "' has type '"
                        + declaration.path("type").asText("") + "'; allowed: string"));
            }
            JsonNode description = declaration.get("description");
            if (description == null || !description.isTextual() || description.asText().isBlank()) {
                findings.add(finding(document, "parameter '" + name + "' needs a non-empty description"));
            }
            JsonNode defaultValue = declaration.get("default");
            if (defaultValue != null && !defaultValue.isTextual()) {
                findings.add(finding(document, "parameter '" + name + "' has a default that is not a string"));
            }
            declaration.fieldNames().forEachRemaining(key -> {
                if (!KEYS.contains(key)) {
                    findings.add(finding(document, "parameter '" + name + "' has an unknown key '" + key
                            + "'; allowed: " + KEYS));
                }
            });
        }
        return findings;
    }
}
