package com.fractal.gpuhost.image.awstoe.rules;

import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** No two steps of one phase share a name (step outputs are addressed as phase.step). */
public final class StepNamesUniqueWithinPhase implements ComponentRule {
    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Phase phase : document.phases()) {
            Set<String> seen = new HashSet<>();
            for (AwstoeDocument.Step step : phase.steps()) {
                if (step.node().path("name").isTextual() && !seen.add(step.name())) {
                    findings.add(finding(document, step,
                            "step name '" + step.name() + "' is used more than once in phase " + phase.name()));
                }
            }
        }
        return findings;
    }
}
