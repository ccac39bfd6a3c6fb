package com.fractal.gpuhost;

/** Construct IDs from stable kebab-case keys, so logical IDs never depend on anything that changes. */
public final class ConstructIds {
    private ConstructIds() {
    }

    /** "container-testing" becomes "ContainerTesting". */
    public static String pascalCase(final String kebabKey) {
        StringBuilder id = new StringBuilder();
        for (String word : kebabKey.split("-")) {
            id.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return id.toString();
    }
}
