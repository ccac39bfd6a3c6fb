package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Every step has a {@code name} of 3 to 128 letters, digits, '-', '_' or spaces. */
public final class StepNamesValid implements ComponentRule {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_\\- ]{3,128}");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Step step : document.steps()) {
            JsonNode name = step.node().get("name");
            if (name == null || !name.isTextual()) {
                findings.add(finding(document, step, "the step has no 'name' string"));
            } else if (!NAME.matcher(name.asText()).matches()) {
                findings.add(finding(document, step, "step name '" + name.asText()
                        + "' is invalid; allowed: 3 to 128 of letters, digits, '-', '_' and space"));
            }
        }
        return findings;
    }
}
