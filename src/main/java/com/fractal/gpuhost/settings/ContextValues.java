package com.fractal.gpuhost.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads typed values out of the context and records a problem, instead of throwing, for each value of
 * the wrong shape. Accepts both the JSON types of cdk.json and the strings of {@code -c key=value}:
 * a list is a JSON array or a comma-separated string; an object is a JSON object or its JSON text.
 */
final class ContextValues {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContextSource context;
    private final List<String> problems;

    ContextValues(final ContextSource context, final List<String> problems) {
        this.context = context;
        this.problems = problems;
    }

    void problem(final String key, final Object value, final String reason) {
        problems.add(key + ": " + quote(value) + " " + reason);
    }

    /** A problem that names no single value, such as a missing list. */
    void bare(final String problem) {
        problems.add(problem);
    }

    /** The value as the context holds it, or null when the key is not set. */
    Object raw(final String key) {
        return context.get(key);
    }

    int problemCount() {
        return problems.size();
    }

    Optional<String> optionalString(final String key) {
        Object value = context.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            problem(key, value, "is not a string; allowed: a string");
            return Optional.empty();
        }
        return text.isBlank() ? Optional.empty() : Optional.of(text.trim());
    }

    /** A string that must be set (its default is in cdk.json); empty, with a problem, when it is not. */
    String requiredString(final String key, final String example) {
        Optional<String> value = optionalString(key);
        if (value.isEmpty() && context.get(key) == null) {
            missing(key, example);
        }
        return value.orElse("");
    }

    boolean bool(final String key) {
        Object value = context.get(key);
        if (value == null) {
            missing(key, "true or false");
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        if ("true".equals(value) || "false".equals(value)) {
            return Boolean.parseBoolean((String) value);
        }
        problem(key, value, "is not a boolean; allowed: true or false");
        return false;
    }

    /** A list of non-empty strings; empty when absent. */
    List<String> list(final String key) {
        Object value = context.get(key);
        return value == null ? List.of() : toStringList(key, value);
    }

    List<String> toStringList(final String key, final Object value) {
        Object items = value;
        if (value instanceof String text) {
            String trimmed = text.trim();
            if (trimmed.startsWith("[")) {
                items = parseJson(key, trimmed, List.class);
                if (items == null) {
                    return List.of();
                }
            } else {
                items = List.of(trimmed.split(",", -1));
            }
        }
        if (!(items instanceof List<?> raw)) {
            problem(key, value, "is malformed; allowed: a JSON list of strings or a comma-separated string");
            return List.of();
        }
        List<String> result = new ArrayList<>();
        for (Object item : raw) {
            if (!(item instanceof String text) || text.isBlank()) {
                problem(key, value, "is malformed (an item is empty or not a string); allowed: a JSON list of "
                        + "non-empty strings or a comma-separated string such as a,b");
                return List.of();
            }
            result.add(text.trim());
        }
        return result;
    }

    /** A JSON object; empty when absent. */
    Map<String, Object> object(final String key) {
        Object value = context.get(key);
        if (value == null) {
            return Map.of();
        }
        Object parsed = value instanceof String text ? parseJson(key, text.trim(), Map.class) : value;
        if (parsed == null) {
            return Map.of();
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            problem(key, value, "is malformed; allowed: a JSON object");
            return Map.of();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) map;
        return typed;
    }

    private Object parseJson(final String key, final String text, final Class<?> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            problem(key, text, "is malformed JSON (" + e.getOriginalMessage() + "); allowed: a JSON "
                    + (type == List.class ? "list of strings" : "object"));
            return null;
        }
    }

    /** A whole number, from a JSON number or its text; null when the value is not one. */
    static Integer toInteger(final Object value) {
        try {
            BigDecimal number = value instanceof Number n ? new BigDecimal(n.toString())
                    : new BigDecimal(value.toString().trim());
            return number.stripTrailingZeros().scale() <= 0 ? number.intValueExact() : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    void missing(final String key, final String allowed) {
        problems.add(key + ": is missing (its default belongs in cdk.json); allowed: " + allowed);
    }

    static String quote(final Object value) {
        return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
    }
}
