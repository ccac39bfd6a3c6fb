package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * A step's {@code timeoutSeconds}, when given, is a whole number from 1 to 14,400 (4 hours). AWSTOE also
 * takes -1 (no limit); this project does not: a hung step must end the build.
 */
public final class TimeoutSecondsRange implements ComponentRule {
    public static final int MAX_SECONDS = 14_400;

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Step step : document.steps()) {
            JsonNode timeout = step.node().get("timeoutSeconds");
            if (timeout != null && !(timeout.isIntegralNumber() && timeout.asLong() >= 1
                    && timeout.asLong() <= MAX_SECONDS)) {
                findings.add(finding(document, step, "timeoutSeconds is " + timeout
                        + "; allowed: a whole number from 1 to " + MAX_SECONDS));
            }
        }
        return findings;
    }
}
