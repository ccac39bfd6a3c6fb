package com.fractal.gpuhost.audit.model;

import com.fractal.gpuhost.audit.StackTemplate;
import java.util.Map;
import java.util.TreeMap;

/** A stack: where it deploys, what it says it is, and how many resources of each type it holds. */
public record StackFacts(String name, String account, String region, String description, String templateFile,
        Map<String, Integer> resourceCounts) {

    public static StackFacts read(final StackTemplate stack) {
        Map<String, Integer> counts = new TreeMap<>();
        stack.resources().forEach(resource -> counts.merge(resource.type(), 1, Integer::sum));
        return new StackFacts(stack.name(), stack.account(), stack.region(), stack.description(), stack.templateFile(),
                Map.copyOf(counts));
    }

    public int resourceTotal() {
        return resourceCounts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Counts by type, sorted by type. */
    public Map<String, Integer> sortedCounts() {
        return new TreeMap<>(resourceCounts);
    }
}
