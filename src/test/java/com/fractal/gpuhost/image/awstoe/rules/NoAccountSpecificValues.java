package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * No account ID, ARN, literal S3 bucket or region name in what a document runs (steps, parameter defaults,
 * constant values): the same document serves every account and region, and such values come in as
 * parameters. Descriptions are prose and not checked.
 */
public final class NoAccountSpecificValues implements ComponentRule {
    private static final Map<String, Pattern> PATTERNS = Map.of(
            "an account ID", Pattern.compile("(?<![\\d.])\\d{12}(?![\\d.])"),
            "an ARN", Pattern.compile("arn:aws[a-z-]*:"),
            "a literal S3 bucket", Pattern.compile("s3://(?!\\{\\{)"),
            "a region name", Pattern.compile("\\b(?:us|eu|ap|ca|sa|me|af|il|mx|cn)-(?:gov-)?"
                    + "(?:east|west|north|south|central|northeast|northwest|southeast|southwest)-\\d\\b"));

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Step step : document.steps()) {
            List<String> texts = new ArrayList<>();
            collectTexts(step.node(), texts);
            for (String text : texts) {
                match(text).forEach(message -> findings.add(finding(document, step, message)));
            }
        }
        for (Map.Entry<String, JsonNode> parameter : document.parameters()) {
            String value = parameter.getValue().path("default").asText("");
            match(value).forEach(message -> findings.add(finding(document, "default of parameter '"
                    + parameter.getKey() + "': " + message)));
        }
        for (Map.Entry<String, JsonNode> constant : document.constants()) {
            String value = constant.getValue().path("value").asText("");
            match(value).forEach(message -> findings.add(finding(document, "value of constant '"
                    + constant.getKey() + "': " + message)));
        }
        return findings;
    }

    private static List<String> match(final String text) {
        List<String> messages = new ArrayList<>();
        PATTERNS.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            Matcher matcher = entry.getValue().matcher(text);
            if (matcher.find()) {
                int start = Math.max(0, matcher.start() - 20);
                int end = Math.min(text.length(), matcher.end() + 20);
                messages.add(entry.getKey() + " is written into the document ('..."
                        + text.substring(start, end).replace('\n', ' ') + "...'); pass it as a parameter");
            }
        });
        return messages;
    }

    private static void collectTexts(final JsonNode node, final List<String> texts) {
        if (node.isTextual()) {
            texts.add(node.asText());
        } else if (node.isContainerNode()) {
            node.elements().forEachRemaining(child -> collectTexts(child, texts));
        }
    }
}
