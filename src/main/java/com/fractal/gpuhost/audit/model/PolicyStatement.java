package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * One statement of a policy document, every value rendered.
 *
 * @param source where the statement comes from: "trust policy", "inline policy NAME", "policy ID", ...
 * @param definedIn the logical ID of the resource that holds the statement (the role, or a policy)
 * @param principals "Service: ec2.amazonaws.com", "AWS: *", "Federated: ..." (trust and resource policies)
 * @param conditions one line per operator and key: "StringEquals aws:SourceAccount = 123"
 */
public record PolicyStatement(String source, String definedIn, String sid, String effect, List<String> principals,
        List<String> actions, List<String> notActions, List<String> resources, List<String> notResources,
        List<String> conditions) {

    public static List<PolicyStatement> read(final JsonNode document, final String source, final String definedIn,
            final StackTemplate stack) {
        JsonNode statement = document.path("Statement");
        List<PolicyStatement> statements = new ArrayList<>();
        (statement.isObject() ? List.of(statement) : statement).forEach(s -> statements.add(new PolicyStatement(source,
                definedIn, s.path("Sid").asText(""), s.path("Effect").asText(""), principals(s.path("Principal"), stack),
                values(s.path("Action"), stack), values(s.path("NotAction"), stack), values(s.path("Resource"), stack),
                values(s.path("NotResource"), stack), conditions(s.path("Condition"), stack))));
        return List.copyOf(statements);
    }

    /** A value or a list of values, each rendered; none when missing. */
    static List<String> values(final JsonNode value, final StackTemplate stack) {
        List<String> values = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> values.add(stack.render(item)));
        } else if (!value.isMissingNode() && !value.isNull()) {
            values.add(stack.render(value));
        }
        return List.copyOf(values);
    }

    private static List<String> principals(final JsonNode principal, final StackTemplate stack) {
        List<String> principals = new ArrayList<>();
        if (principal.isTextual()) {
            principals.add(principal.asText());
        }
        principal.fields().forEachRemaining(kind -> values(kind.getValue(), stack)
                .forEach(value -> principals.add(kind.getKey() + ": " + value)));
        return List.copyOf(principals);
    }

    private static List<String> conditions(final JsonNode condition, final StackTemplate stack) {
        List<String> conditions = new ArrayList<>();
        condition.fields().forEachRemaining(op -> {
            if (!op.getValue().isObject()) {
                conditions.add(op.getKey() + " " + stack.render(op.getValue()));
            }
            op.getValue().fields().forEachRemaining(key -> {
                List<String> values = values(key.getValue(), stack);
                conditions.add(op.getKey() + " " + key.getKey() + (values.size() == 1 ? " = " + values.get(0)
                        : " in [" + String.join(", ", values) + "]"));
            });
        });
        return List.copyOf(conditions);
    }
}
