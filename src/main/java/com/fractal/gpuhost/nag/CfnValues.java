package com.fractal.gpuhost.nag;

import java.util.List;
import java.util.Map;

/** Reading a resolved CloudFormation value: absent keys and unexpected shapes read as empty. */
final class CfnValues {
    private CfnValues() {
    }

    static Map<?, ?> map(final Object value, final String key) {
        return value instanceof Map<?, ?> m && m.get(key) instanceof Map<?, ?> child ? child : Map.of();
    }

    static List<?> list(final Object value, final String key) {
        return value instanceof Map<?, ?> m && m.get(key) instanceof List<?> child ? child : List.of();
    }

    /** A value that may be one item or a list of items, as a list. */
    static List<?> items(final Object value) {
        return value instanceof List<?> l ? l : value == null ? List.of() : List.of(value);
    }

    static boolean isTrue(final Object value, final String key) {
        Object v = value instanceof Map<?, ?> m ? m.get(key) : null;
        return Boolean.TRUE.equals(v) || "true".equals(v);
    }
}
