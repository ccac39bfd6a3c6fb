package com.fractal.gpuhost.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.model.NagResult;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One CloudFormation stack of a cloud assembly: where it deploys, its template, and cdk-nag's results for
 * it (empty when no cdk-nag JSON report was written).
 *
 * @param account the account of the stack's environment, or "unknown-account" when environment-agnostic
 * @param region the region of the stack's environment, or "unknown-region"
 */
public record StackTemplate(String name, String account, String region, String templateFile, JsonNode template,
        List<NagResult> nagResults) {

    public record Resource(String logicalId, String type, JsonNode properties) {
    }

    public String description() {
        return template.path("Description").asText("");
    }

    public int resourceTotal() {
        return template.path("Resources").size();
    }

    public Map<String, Integer> sortedCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        resources().forEach(resource -> counts.merge(resource.type(), 1, Integer::sum));
        return counts;
    }

    /** Every resource, in template order. */
    public List<Resource> resources() {
        return template.path("Resources").properties().stream().map(entry -> new Resource(entry.getKey(),
                entry.getValue().path("Type").asText(""), entry.getValue().path("Properties")))
                .toList();
    }

    /** The resources of one type, in template order. */
    public List<Resource> resources(final String type) {
        return resources().stream().filter(resource -> resource.type().equals(type)).toList();
    }

    /** Renders a template value readably, resolving this template's parameters (see {@link Intrinsics}). */
    public String render(final JsonNode value) {
        return Intrinsics.render(value, template.path("Parameters"));
    }

    /** The resource of this template that a value refers to ({Ref: X} or {Fn::GetAtt: [X, ...]}), or null. */
    public JsonNode resource(final JsonNode reference) {
        String id = referencedId(reference);
        return id == null ? null : template.path("Resources").get(id);
    }

    /** The logical ID a value refers to ({Ref: X} or {Fn::GetAtt: [X, ...]}), or null. */
    public static String referencedId(final JsonNode value) {
        if (value == null || !value.isObject() || value.size() != 1) {
            return null;
        }
        JsonNode getAtt = value.path("Fn::GetAtt");
        return value.path("Ref").isTextual() ? value.get("Ref").asText()
                : getAtt.isArray() && getAtt.size() > 0 ? getAtt.get(0).asText()
                : getAtt.isTextual() ? getAtt.asText().split("\\.", 2)[0] : null;
    }
}
