package com.fractal.gpuhost.image.awstoe.rules;

import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A step has only AWSTOE's step properties, so a misspelt one (e.g. "timeout") is not silently ignored. */
public final class KnownStepProperties implements ComponentRule {
    private static final Set<String> ALLOWED = Set.of("name", "action", "inputs", "timeoutSeconds", "onFailure",
            "maxAttempts", "loop", "if");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Step step : document.steps()) {
            step.node().fieldNames().forEachRemaining(key -> {
                if (!ALLOWED.contains(key)) {
                    findings.add(finding(document, step, "unknown step property '" + key + "'; allowed: "
                            + ALLOWED.stream().sorted().toList()));
                }
            });
        }
        return findings;
    }
}
