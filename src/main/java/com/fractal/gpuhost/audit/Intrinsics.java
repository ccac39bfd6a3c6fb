package com.fractal.gpuhost.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

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
            return "[" + join(value, ", ", parameters) + "]";
        }
        if (value.size() == 1) {
            String function = value.fieldNames().next();
            JsonNode argument = value.get(function);
            String rendered = switch (function) {
                case "Ref" -> ref(argument.asText(), parameters);
                case "Fn::GetAtt" -> "{GetAtt: " + (argument.isArray() ? join(argument, ".", parameters)
                        : argument.asText()) + "}";
                case "Fn::Join" -> argument.isArray() && argument.size() == 2 && argument.get(1).isArray()
                        ? join(argument.get(1), argument.get(0).asText(), parameters) : null;
                case "Fn::Sub" -> sub(argument, parameters);
                case "Fn::Select" -> argument.isArray() && argument.size() == 2
                        ? select(argument.get(0), argument.get(1), parameters) : null;
                default -> null;
            };
            if (rendered != null) {
                return rendered;
            }
            if (function.startsWith("Fn::") || function.equals("Condition")) {
                return "{" + function.replaceFirst("^Fn::", "") + ": " + render(argument, parameters) + "}";
            }
        }
        List<String> fields = new ArrayList<>();
        value.fields().forEachRemaining(f -> fields.add(f.getKey() + ": " + render(f.getValue(), parameters)));
        return "{" + String.join(", ", fields) + "}";
    }

    private static String ref(final String name, final JsonNode parameters) {
        if (name.startsWith("AWS::")) {
            return "${" + name + "}";
        }
        JsonNode parameter = parameters == null ? null : parameters.get(name);
        if (parameter == null) {
            return "{Ref: " + name + "}";
        }
        JsonNode fallback = parameter.path("Default");
        if (parameter.path("Type").asText("").startsWith(SSM_TYPE) && fallback.isTextual()) {
            return "ssm:" + fallback.asText();
        }
        return "{Ref: " + name + (fallback.isMissingNode() ? "" : " (default " + fallback.asText() + ")") + "}";
    }

    /** The element of a literal list at a literal index (a number or a string of digits), or the expression. */
    private static String select(final JsonNode index, final JsonNode list, final JsonNode parameters) {
        if (list.isArray() && index.isValueNode() && index.asText().matches("\\d+")
                && Integer.parseInt(index.asText()) < list.size()) {
            return render(list.get(Integer.parseInt(index.asText())), parameters);
        }
        return "{Select: " + render(index, parameters) + " of " + render(list, parameters) + "}";
    }

    private static String sub(final JsonNode argument, final JsonNode parameters) {
        if (argument.isTextual()) {
            return argument.asText();
        }
        if (!argument.isArray() || argument.size() != 2) {
            return "{Sub: " + render(argument, parameters) + "}";
        }
        JsonNode variables = argument.get(1);
        Matcher matcher = SUB_VARIABLE.matcher(argument.get(0).asText());
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            JsonNode variable = variables.get(matcher.group(1));
            matcher.appendReplacement(result, Matcher.quoteReplacement(variable == null ? matcher.group()
                    : render(variable, parameters)));
        }
        return matcher.appendTail(result).toString();
    }

    private static String join(final JsonNode items, final String separator, final JsonNode parameters) {
        return StreamSupport.stream(items.spliterator(), false).map(item -> render(item, parameters))
                .collect(Collectors.joining(separator));
    }
}
