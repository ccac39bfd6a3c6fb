package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A document has a non-empty {@code name} and {@code description}, a {@code schemaVersion} and
 * {@code phases}, and no top-level key other than those and {@code parameters}, {@code constants}.
 */
public final class RequiredTopLevelKeys implements ComponentRule {
    private static final List<String> REQUIRED = List.of("name", "description", "schemaVersion", "phases");
    private static final List<String> ALLOWED = List.of("name", "description", "schemaVersion", "parameters",
            "constants", "phases");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        JsonNode root = document.root();
        for (String key : REQUIRED) {
            if (!root.has(key) || root.get(key).isNull()) {
                findings.add(finding(document, "top-level key '" + key + "' is missing; required: " + REQUIRED));
            }
        }
        for (String key : List.of("name", "description")) {
            JsonNode value = root.get(key);
            if (value != null && !value.isNull() && (!value.isTextual() || value.asText().isBlank())) {
                findings.add(finding(document, "'" + key + "' must be a non-empty string"));
            }
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext();) {
            String key = keys.next();
            if (!ALLOWED.contains(key)) {
                findings.add(finding(document, "unknown top-level key '" + key + "'; allowed: " + ALLOWED));
            }
        }
        return findings;
    }
}
