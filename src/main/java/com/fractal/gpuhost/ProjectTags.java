package com.fractal.gpuhost;

import com.fractal.gpuhost.settings.ResourceNames;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;

/** The tags every resource carries, so cost reports and auditors can tell what each one belongs to. */
public final class ProjectTags {
    private ProjectTags() {
    }

    public static void apply(final Stack stack, final ResourceNames names, final String component) {
        Tags.of(stack).add("project", names.project());
        Tags.of(stack).add("component", component);
    }

    /**
     * The tags as a map, for resources that take their own tag maps (Image Builder's). Ordered: Map.of's
     * order changes from one JVM to the next, and with it the template and its asset hash.
     */
    public static Map<String, String> of(final ResourceNames names, final String component) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("project", names.project());
        tags.put("component", component);
        return tags;
    }
}
