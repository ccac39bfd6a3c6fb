package com.fractal.gpuhost.ci;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads template values the way a person reads an ARN: Fn::Join flattened, Ref X written as ${X}. */
final class TemplateText {
    private TemplateText() {
    }

    static String of(final Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            if (map.get("Ref") instanceof String ref) {
                return "${" + ref + "}";
            }
            if (map.get("Fn::Join") instanceof List<?> join && join.size() == 2) {
                return ((List<?>) join.get(1)).stream().map(TemplateText::of)
                        .collect(Collectors.joining(String.valueOf(join.get(0))));
            }
        }
        throw new IllegalArgumentException("not a string, Ref or Fn::Join: " + value);
    }

    /** A template's string-or-list field as a list of texts. */
    static List<String> list(final Object value) {
        return value instanceof List<?> items ? items.stream().map(TemplateText::of).toList() : List.of(of(value));
    }
}
