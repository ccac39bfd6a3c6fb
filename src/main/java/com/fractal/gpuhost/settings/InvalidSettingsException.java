package com.fractal.gpuhost.settings;

import java.util.List;

/** Every problem found in the settings, reported together so a user fixes them in one pass. */
public final class InvalidSettingsException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public InvalidSettingsException(final List<String> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }

    private static String describe(final List<String> problems) {
        StringBuilder text = new StringBuilder("Invalid settings (")
                .append(problems.size())
                .append(problems.size() == 1 ? " problem" : " problems")
                .append("); nothing was synthesized:");
        problems.forEach(problem -> text.append(System.lineSeparator()).append("  - ").append(problem));
        return text.toString();
    }
}
