package com.fractal.gpuhost.settings;

import java.util.Map;
import java.util.Set;

/**
 * The CDK context, behind an interface so settings can be loaded and tested from a plain map.
 * Values given on the command line ({@code -c key=value}) arrive as strings; values from cdk.json keep
 * their JSON types (lists, numbers, booleans, objects). The loader normalises both.
 */
public interface ContextSource {
    /** The value of a key, or null when it is not set. */
    Object get(String key);

    /** Every key that is set, so that misspelt keys can be reported. */
    Set<String> keys();

    static ContextSource of(final Map<String, ?> values) {
        return new ContextSource() {
            @Override
            public Object get(final String key) {
                return values.get(key);
            }

            @Override
            public Set<String> keys() {
                return values.keySet();
            }
        };
    }
}
