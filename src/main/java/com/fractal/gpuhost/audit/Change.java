package com.fractal.gpuhost.audit;

/**
 * One difference between a baseline assembly and the current one.
 *
 * @param category the report section it belongs to: "Stacks", "Security group rules", "IAM permissions", ...
 * @param subject what changed: a stack, "container-testing: ingress tcp 22 from 203.0.113.0/24", a role, ...
 * @param detail the change in words
 */
public record Change(String category, Kind kind, String stack, String subject, String detail) {

    /** How it changed; WIDENED and NARROWED are for permissions. */
    public enum Kind {
        ADDED, REMOVED, CHANGED, WIDENED, NARROWED;

        public String label() {
            return name().toLowerCase();
        }
    }
}
