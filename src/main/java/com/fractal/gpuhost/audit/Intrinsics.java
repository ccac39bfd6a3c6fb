package com.fractal.gpuhost.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders CloudFormation values for people: literals as themselves, pseudo parameters as {@code ${AWS::AccountId}},
 * a parameter of an SSM type as {@code ssm:<its default name>}, {@code {Ref: X}}, {@code {GetAtt: X.Arn}},
 * {@code Fn::Join} and {@code Fn::Sub} as the string they build, {@code Fn::Select} of a literal list as the
 * element, anything else as {@code {Fn: argument}}.
 */
public final class Intrinsics {
    private static final String SSM_TYPE = "AWS::SSM::Parameter::Value<";
    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^!}][^}]*)}");

    private Intrinsics() {
    }

    /**
     * @param parameters the template's Parameters section (may be missing)
     */
    public static String render(final JsonNode value, final JsonNode parameters) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "";
        }
        if (value.isValueNode()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            value.forEach(item -> items.add(render(item, parameters)));
            return "[" + String.join(", ", items) + "]";
        }
        if (value.size() == 1) {
            Map.Entry<String, JsonNode> only = value.fields().next();
            String function = only.getKey();
            JsonNode argument = only.getValue();
            switch (function) {
                case "Ref":
                    return ref(argument.asText(), parameters);
                case "Fn::GetAtt":
                    return "{GetAtt: " + (argument.isArray() ? joinText(argument, ".") : argument.asText()) + "}";
                case "Fn::Join":
                    if (argument.isArray() && argument.size() == 2 && argument.get(1).isArray()) {
                        StringBuilder joined = new StringBuilder();
                        String separator = argument.get(0).asText();
                        for (int i = 0; i < argument.get(1).size(); i++) {
                            joined.append(i == 0 ? "" : separator).append(render(argument.get(1).get(i), parameters));
                        }
                        return joined.toString();
                    }
                    break;
                case "Fn::Sub":
                    return sub(argument, parameters);
                case "Fn::Select":
                    if (argument.isArray() && argument.size() == 2) {
                        JsonNode index = argument.get(0);
                        JsonNode list = argument.get(1);
                        if (list.isArray() && index.canConvertToInt() && index.asInt() < list.size()) {
                            return render(list.get(index.asInt()), parameters);
                        }
                        if (list.isArray() && index.isTextual() && index.asText().matches("\\d+")
                                && Integer.parseInt(index.asText()) < list.size()) {
                            return render(list.get(Integer.parseInt(index.asText())), parameters);
                        }
                        return "{Select: " + render(index, parameters) + " of " + render(list, parameters) + "}";
                    }
                    break;
                default:
                    break;
            }
            if (function.startsWith("Fn::") || function.equals("Condition")) {
                return "{" + function.substring(function.startsWith("Fn::") ? 4 : 0) + ": "
                        + render(argument, parameters) + "}";
            }
        }
        List<String> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            fields.add(field.getKey() + ": " + render(field.getValue(), parameters));
        }
        return "{" + String.join(", ", fields) + "}";
    }

    private static String ref(final String name, final JsonNode parameters) {
        if (name.startsWith("AWS::")) {
            return "${" + name + "}";
        }
        JsonNode parameter = parameters == null ? null : parameters.get(name);
        if (parameter != null) {
            String type = parameter.path("Type").asText("");
            JsonNode fallback = parameter.path("Default");
            if (type.startsWith(SSM_TYPE) && fallback.isTextual()) {
                return "ssm:" + fallback.asText();
            }
            return "{Ref: " + name + (fallback.isMissingNode() ? "" : " (default " + fallback.asText() + ")") + "}";
        }
        return "{Ref: " + name + "}";
    }

    private static String sub(final JsonNode argument, final JsonNode parameters) {
        String text;
        JsonNode variables = null;
        if (argument.isTextual()) {
            text = argument.asText();
        } else if (argument.isArray() && argument.size() == 2) {
            text = argument.get(0).asText();
            variables = argument.get(1);
        } else {
            return "{Sub: " + render(argument, parameters) + "}";
        }
        if (variables == null || !variables.isObject()) {
            return text;
        }
        Matcher matcher = SUB_VARIABLE.matcher(text);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            JsonNode variable = variables.get(matcher.group(1));
            String replacement = variable == null ? matcher.group() : render(variable, parameters);
            matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
        }
        matcher.appendTail(result);
        return result.toString();
    }

    private static String joinText(final JsonNode array, final String separator) {
        List<String> parts = new ArrayList<>();
        array.forEach(part -> parts.add(part.asText()));
        return String.join(separator, parts);
    }
}
