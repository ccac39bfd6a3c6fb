package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * A check switched off for one resource, as the template records it: a cdk-nag rule suppression
 * ({@code Metadata.cdk_nag.rules_to_suppress}, with its reason) or a cfn-lint check ignored
 * ({@code Metadata.cfn-lint.config.ignore_checks}, which carries no reason).
 *
 * @param logicalId the resource, or "(template)" for a suppression on the whole template
 * @param appliesTo the findings it is limited to (empty: every finding of the rule on the resource)
 */
public record Suppression(String tool, String stack, String logicalId, String path, String ruleId, String reason,
        List<String> appliesTo) {
    public static final String CDK_NAG = "cdk-nag";
    public static final String CFN_LINT = "cfn-lint";
    private static final String TEMPLATE = "(template)";

    public static List<Suppression> read(final StackTemplate stack) {
        List<Suppression> facts = new ArrayList<>();
        collect(stack, TEMPLATE, TEMPLATE, stack.template().path("Metadata"), facts);
        for (StackTemplate.Resource resource : stack.resources()) {
            collect(stack, resource.logicalId(), resource.path(), resource.metadata(), facts);
        }
        return facts;
    }

    private static void collect(final StackTemplate stack, final String logicalId, final String path,
            final JsonNode metadata, final List<Suppression> facts) {
        for (JsonNode rule : metadata.path("cdk_nag").path("rules_to_suppress")) {
            List<String> appliesTo = new ArrayList<>();
            for (JsonNode finding : rule.path("applies_to")) {
                appliesTo.add(finding.isTextual() ? finding.asText() : "regex " + finding.path("regex").asText());
            }
            facts.add(new Suppression(CDK_NAG, stack.name(), logicalId, path, rule.path("id").asText(),
                    rule.path("reason").asText(""), List.copyOf(appliesTo)));
        }
        for (JsonNode check : metadata.path("cfn-lint").path("config").path("ignore_checks")) {
            facts.add(new Suppression(CFN_LINT, stack.name(), logicalId, path, check.asText(), "", List.of()));
        }
    }
}
