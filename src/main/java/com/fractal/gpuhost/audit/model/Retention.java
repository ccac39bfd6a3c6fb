package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An Image Builder lifecycle policy: which images it selects and what it does to old ones.
 *
 * @param rules one line per policy detail: "DELETE AMIs, snapshots: keep the newest 3 (COUNT 3)"
 * @param selection which images: "tagged fractal:image=gpu-host", "recipes …"
 */
public record Retention(String stack, String logicalId, String name, String status, String resourceType,
        List<String> rules, String selection, String executionRole) {

    public static List<Retention> read(final StackTemplate stack) {
        List<Retention> facts = new ArrayList<>();
        for (StackTemplate.Resource resource : stack.resources("AWS::ImageBuilder::LifecyclePolicy")) {
            JsonNode p = resource.properties();
            List<String> rules = new ArrayList<>();
            for (JsonNode detail : p.path("PolicyDetails")) {
                rules.add(rule(stack, detail));
            }
            facts.add(new Retention(stack.name(), resource.logicalId(), stack.render(p.path("Name")),
                    stack.render(p.path("Status")), stack.render(p.path("ResourceType")), List.copyOf(rules),
                    selection(stack, p.path("ResourceSelection")), stack.render(p.path("ExecutionRole"))));
        }
        return facts;
    }

    private static String rule(final StackTemplate stack, final JsonNode detail) {
        JsonNode action = detail.path("Action");
        List<String> included = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = action.path("IncludeResources").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> kind = it.next();
            if (kind.getValue().asBoolean()) {
                included.add(kind.getKey().toLowerCase());
            }
        }
        JsonNode filter = detail.path("Filter");
        String type = stack.render(filter.path("Type"));
        String value = stack.render(filter.path("Value"));
        String when = switch (type) {
            case "COUNT" -> "keep the newest " + value;
            case "AGE" -> "older than " + value + " " + stack.render(filter.path("Unit")).toLowerCase();
            default -> type + " " + value;
        };
        if (filter.has("RetainAtLeast")) {
            when += ", retaining at least " + stack.render(filter.get("RetainAtLeast"));
        }
        String exclusions = detail.has("ExclusionRules") ? "; except " + stack.render(detail.get("ExclusionRules")) : "";
        return stack.render(action.path("Type")) + (included.isEmpty() ? "" : " " + String.join(", ", included)) + ": "
                + when + exclusions;
    }

    private static String selection(final StackTemplate stack, final JsonNode selection) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = selection.path("TagMap").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> tag = it.next();
            parts.add("tagged " + tag.getKey() + "=" + stack.render(tag.getValue()));
        }
        for (JsonNode recipe : selection.path("Recipes")) {
            parts.add("recipe " + stack.render(recipe.path("Name")) + " " + stack.render(recipe.path("SemanticVersion")));
        }
        return String.join("; ", parts);
    }
}
