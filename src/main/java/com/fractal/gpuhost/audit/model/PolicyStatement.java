package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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

    /** Every statement of a policy document. */
    public static List<PolicyStatement> read(final JsonNode document, final String source, final String definedIn,
            final StackTemplate stack) {
        List<PolicyStatement> statements = new ArrayList<>();
        JsonNode statement = document.path("Statement");
        if (statement.isObject()) {
            statements.add(one(statement, source, definedIn, stack));
        } else {
            statement.forEach(s -> statements.add(one(s, source, definedIn, stack)));
        }
        return statements;
    }

    private static PolicyStatement one(final JsonNode s, final String source, final String definedIn,
            final StackTemplate stack) {
        return new PolicyStatement(source, definedIn, s.path("Sid").asText(""), s.path("Effect").asText(""),
                principals(s.path("Principal"), stack), values(s.path("Action"), stack),
                values(s.path("NotAction"), stack), values(s.path("Resource"), stack),
                values(s.path("NotResource"), stack), conditions(s.path("Condition"), stack));
    }

    public boolean allows() {
        return effect.equals("Allow");
    }

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
        } else if (principal.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = principal.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> kind = it.next();
                values(kind.getValue(), stack).forEach(value -> principals.add(kind.getKey() + ": " + value));
            }
        }
        return List.copyOf(principals);
    }

    private static List<String> conditions(final JsonNode condition, final StackTemplate stack) {
        List<String> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> ops = condition.fields(); ops.hasNext();) {
            Map.Entry<String, JsonNode> op = ops.next();
            if (!op.getValue().isObject()) {
                conditions.add(op.getKey() + " " + stack.render(op.getValue()));
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext();) {
                Map.Entry<String, JsonNode> key = keys.next();
                List<String> values = values(key.getValue(), stack);
                conditions.add(op.getKey() + " " + key.getKey() + (values.size() == 1 ? " = " + values.get(0)
                        : " in [" + String.join(", ", values) + "]"));
            }
        }
        return List.copyOf(conditions);
    }
}
