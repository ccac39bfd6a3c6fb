package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.List;

/** A step's {@code maxAttempts}, when given, is a whole number from 1 to 5. */
public final class MaxAttemptsRange implements ComponentRule {
    public static final int MAX_ATTEMPTS = 5;

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Step step : document.steps()) {
            JsonNode attempts = step.node().get("maxAttempts");
            if (attempts != null && !(attempts.isIntegralNumber() && attempts.asLong() >= 1
                    && attempts.asLong() <= MAX_ATTEMPTS)) {
                findings.add(finding(document, step, "maxAttempts is " + attempts
                        + "; allowed: a whole number from 1 to " + MAX_ATTEMPTS));
            }
        }
        return findings;
    }
}
