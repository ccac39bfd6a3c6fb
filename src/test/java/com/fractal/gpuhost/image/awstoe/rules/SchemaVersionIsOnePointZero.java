package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.List;

/** {@code schemaVersion} is 1.0, the only AWSTOE document schema (a number or the string "1.0"). */
public final class SchemaVersionIsOnePointZero implements ComponentRule {
    @Override
    public List<Finding> check(final AwstoeDocument document) {
        JsonNode version = document.root().get("schemaVersion");
        if (version == null || version.isNull()) {
            return List.of(); // RequiredTopLevelKeys reports it
        }
        boolean ok = version.isNumber() ? version.asDouble() == 1.0 : "1.0".equals(version.asText());
        return ok ? List.of()
                : List.of(finding(document, "schemaVersion is '" + version.asText() + "'; allowed: 1.0"));
    }
}
