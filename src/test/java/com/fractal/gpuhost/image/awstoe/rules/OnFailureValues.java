package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.List;

/** A step's {@code onFailure}, when given, is Abort, Continue or Ignore. */
public final class OnFailureValues implements ComponentRule {
    private static final List<String> ALLOWED = List.of("Abort", "Continue", "Ignore");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Step step : document.steps()) {
            JsonNode onFailure = step.node().get("onFailure");
            if (onFailure != null && !(onFailure.isTextual() && ALLOWED.contains(onFailure.asText()))) {
                findings.add(finding(document, step, "onFailure is '" + onFailure.asText() + "'; allowed: " + ALLOWED));
            }
        }
        return findings;
    }
}
