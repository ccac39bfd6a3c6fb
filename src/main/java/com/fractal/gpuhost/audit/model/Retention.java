package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * An Image Builder lifecycle policy: which images it selects and what it does to old ones.
 *
 * @param rules one line per policy detail: "DELETE AMIs, snapshots: keep the newest 3 (COUNT 3)"
 * @param selection which images: "tagged fractal:image=gpu-host", "recipes …"
 */
public record Retention(String stack, String logicalId, String name, String status, String resourceType,
        List<String> rules, String selection, String executionRole) {

    public static List<Retention> read(final StackTemplate stack) {
        return stack.resources("AWS::ImageBuilder::LifecyclePolicy").stream().map(resource -> {
            JsonNode p = resource.properties();
            List<String> rules = new ArrayList<>();
            p.path("PolicyDetails").forEach(detail -> rules.add(rule(stack, detail)));
            return new Retention(stack.name(), resource.logicalId(), stack.render(p.path("Name")),
                    stack.render(p.path("Status")), stack.render(p.path("ResourceType")), List.copyOf(rules),
                    selection(stack, p.path("ResourceSelection")), stack.render(p.path("ExecutionRole")));
        }).toList();
    }

    private static String rule(final StackTemplate stack, final JsonNode detail) {
        JsonNode action = detail.path("Action");
        List<String> included = new ArrayList<>();
        action.path("IncludeResources").fields().forEachRemaining(kind -> {
            if (kind.getValue().asBoolean()) {
                included.add(kind.getKey().toLowerCase());
            }
        });
        JsonNode filter = detail.path("Filter");
        String type = stack.render(filter.path("Type"));
        String value = stack.render(filter.path("Value"));
        String when = switch (type) {
            case "COUNT" -> "keep the newest " + value;
            case "AGE" -> "older than " + value + " " + stack.render(filter.path("Unit")).toLowerCase();
            default -> type + " " + value;
        };
        return stack.render(action.path("Type")) + (included.isEmpty() ? "" : " " + String.join(", ", included)) + ": "
                + when + (filter.has("RetainAtLeast") ? ", retaining at least " + stack.render(filter.get(
                        "RetainAtLeast")) : "") + (detail.has("ExclusionRules") ? "; except " + stack.render(detail
                                .get("ExclusionRules")) : "");
    }

    private static String selection(final StackTemplate stack, final JsonNode selection) {
        List<String> parts = new ArrayList<>();
        selection.path("TagMap").fields().forEachRemaining(tag -> parts.add("tagged " + tag.getKey() + "="
                + stack.render(tag.getValue())));
        selection.path("Recipes").forEach(recipe -> parts.add("recipe " + stack.render(recipe.path("Name")) + " "
                + stack.render(recipe.path("SemanticVersion"))));
        return String.join("; ", parts);
    }
}
