package com.fractal.gpuhost;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Tags;

/** The tags every resource carries, so cost reports and auditors can tell what each one belongs to. */
public final class ProjectTags {
    public static final String PROJECT = "fractal-gpu-host";

    private ProjectTags() {
    }

    public static void apply(final Stack stack, final String component) {
        Tags.of(stack).add("project", PROJECT);
        Tags.of(stack).add("component", component);
    }
}
