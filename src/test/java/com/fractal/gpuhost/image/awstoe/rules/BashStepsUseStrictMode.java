package com.fractal.gpuhost.image.awstoe.rules;

import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every ExecuteBash step starts with {@code set -euo pipefail} (comments and blank lines before it
 * aside), so a failing command fails the step instead of being ignored.
 */
public final class BashStepsUseStrictMode implements ComponentRule {
    private static final Pattern STRICT = Pattern.compile("set -E?euo pipefail(\\s.*)?");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Step step : document.steps()) {
            if (!"ExecuteBash".equals(step.action()) || step.bashCommands().isEmpty()) {
                continue;
            }
            String first = String.join("\n", step.bashCommands()).lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .findFirst().orElse("");
            if (!STRICT.matcher(first).matches()) {
                findings.add(finding(document, step, "the first command is '" + first
                        + "'; an ExecuteBash step starts with 'set -euo pipefail'"));
            }
        }
        return findings;
    }
}
