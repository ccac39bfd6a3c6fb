package com.fractal.gpuhost.audit.model;

/**
 * One line of a stack's cdk-nag JSON report ({@code <pack>-<stack>-NagReport.json}): a rule's verdict on a
 * resource ("Compliant", "Non-Compliant", "Suppressed"), with the suppression's reason.
 *
 * @param logicalId the resource's logical ID in the stack's template, or the path when the template has none
 */
public record NagResult(String stack, String pack, String ruleId, String resourcePath, String logicalId,
        String compliance, String reason, String level) {
    public static final String SUPPRESSED = "Suppressed";
    public static final String COMPLIANT = "Compliant";

    /** A finding: the rule does not pass on the resource, suppressed or not. */
    public boolean isFlag() {
        return !compliance.equals(COMPLIANT);
    }

    public boolean accepted() {
        return compliance.equals(SUPPRESSED);
    }

    /**
     * What identifies the finding across two assemblies: the rule, the resource and, when the line is a suppressed
     * finding, the finding cdk-nag names before the reason ("[Resource::*] ...").
     */
    public String key() {
        return ruleId + " " + stack + " " + resourcePath + (reason.matches("(?s)\\[.*?] .*")
                ? " " + reason.substring(0, reason.indexOf("] ") + 1) : "");
    }
}
