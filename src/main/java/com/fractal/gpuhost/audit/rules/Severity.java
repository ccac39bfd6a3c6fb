package com.fractal.gpuhost.audit.rules;

/** How much a flag matters, most first. */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW;

    public String label() {
        return name().toLowerCase();
    }
}
