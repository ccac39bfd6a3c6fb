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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code {{ ... }}} reference in a step names a declared parameter or constant, the output of a step
 * that runs earlier ({@code {{ build.StepName.outputs.stdout }}}), or a loop variable in a step that loops.
 * AWSTOE substitutes these before the command runs, so anything else (a Go template such as
 * {@code docker info --format '{{.ID}}'}, a typo) breaks the step. An unclosed "{{" is reported too.
 */
public final class ParametersDeclaredBeforeUse implements ComponentRule {
    static final Pattern REFERENCE = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern STEP_OUTPUT = Pattern.compile("(build|validate|test)\\.([^.{}]+)\\.outputs\\.\\w+");
    private static final Pattern LOOP = Pattern.compile("loop\\.[\\w.]+");

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        Set<String> declared = new HashSet<>();
        document.parameters().forEach(entry -> declared.add(entry.getKey()));
        document.constants().forEach(entry -> declared.add(entry.getKey()));
        List<Finding> findings = new ArrayList<>();
        List<AwstoeDocument.Step> steps = document.steps();
        for (AwstoeDocument.Step step : steps) {
            List<String> texts = new ArrayList<>();
            collectTexts(step.node(), texts);
            for (String text : texts) {
                checkText(document, step, steps, declared, text, findings);
            }
        }
        return findings;
    }

    private void checkText(final AwstoeDocument document, final AwstoeDocument.Step step,
            final List<AwstoeDocument.Step> steps, final Set<String> declared, final String text,
            final List<Finding> findings) {
        Matcher matcher = REFERENCE.matcher(text);
        int end = 0;
        while (matcher.find()) {
            end = matcher.end();
            String reference = matcher.group(1).strip();
            if (VARIABLE.matcher(reference).matches()) {
                if (!declared.contains(reference)) {
                    findings.add(finding(document, step, "'{{ " + reference + " }}' is not a declared parameter "
                            + "or constant; declared: " + declared.stream().sorted().toList()));
                }
            } else if (STEP_OUTPUT.matcher(reference).matches()) {
                checkStepOutput(document, step, steps, reference, findings);
            } else if (LOOP.matcher(reference).matches()) {
                if (!step.node().has("loop")) {
                    findings.add(finding(document, step, "'{{ " + reference + " }}' is used in a step without 'loop'"));
                }
            } else {
                findings.add(finding(document, step, "'{{" + matcher.group(1)
                        + "}}' is not an AWSTOE variable (a parameter, constant, phase.step.outputs.x or loop.x)"));
            }
        }
        if (text.indexOf("{{", end) >= 0) {
            String line = text.strip().lines().filter(l -> l.contains("{{")).findFirst().orElse("");
            findings.add(finding(document, step, "an unclosed '{{' in: " + line));
        }
    }

    private void checkStepOutput(final AwstoeDocument document, final AwstoeDocument.Step step,
            final List<AwstoeDocument.Step> steps, final String reference, final List<Finding> findings) {
        Matcher output = STEP_OUTPUT.matcher(reference);
        if (!output.matches()) {
            return;
        }
        String phase = output.group(1);
        String name = output.group(2);
        int usePhase = AwstoeDocument.PHASE_ORDER.indexOf(step.phase());
        int refPhase = AwstoeDocument.PHASE_ORDER.indexOf(phase);
        boolean earlier = steps.stream().anyMatch(candidate -> candidate.phase().equals(phase)
                && candidate.name().equals(name)
                && (refPhase < usePhase || (refPhase == usePhase && candidate.index() < step.index())));
        if (!earlier) {
            findings.add(finding(document, step, "'{{ " + reference + " }}' names no step '" + name
                    + "' that runs before this one in phase " + phase));
        }
    }

    private static void collectTexts(final JsonNode node, final List<String> texts) {
        if (node.isTextual()) {
            texts.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(child -> collectTexts(child, texts));
        } else if (node.isObject()) {
            for (var fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                collectTexts(field.getValue(), texts);
            }
        }
    }
}
