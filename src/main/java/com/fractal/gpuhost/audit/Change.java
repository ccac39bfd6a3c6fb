package com.fractal.gpuhost.audit;

/**
 * One difference between a baseline assembly and the current one.
 *
 * @param category the report section it belongs to: {@link ReportBuilder#STACKS} or {@link ReportBuilder#FLAGS}
 * @param subject what changed: a stack, or a rule on a resource
 * @param detail the change in words
 */
public record Change(String category, Kind kind, String stack, String subject, String detail) {

    public enum Kind { ADDED, REMOVED, CHANGED }
}
