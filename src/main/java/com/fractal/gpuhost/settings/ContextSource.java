package com.fractal.gpuhost.settings;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.constructs.Node;

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

    /** The context of a construct tree: cdk.json's context and the command line's -c values. */
    static ContextSource of(final Node node) {
        return new ContextSource() {
            @Override
            public Object get(final String key) {
                return node.tryGetContext(key);
            }

            @Override
            public Set<String> keys() {
                return node.getAllContext() instanceof Map<?, ?> all
                        ? all.keySet().stream().map(String::valueOf).collect(Collectors.toSet())
                        : Set.of();
            }
        };
    }

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
