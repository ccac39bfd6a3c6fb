package com.fractal.gpuhost.audit.rules;

/**
 * One thing a rule flags in the assembly.
 *
 * @param logicalId the resource that holds the flagged setting
 * @param subject the flagged fact in a few words: "container-testing: ingress tcp 22 from 0.0.0.0/0"
 * @param nagFinding the finding in cdk-nag's applies_to form ("Resource::arn:<AWS::Partition>:…"), or "",
 *     to match a cdk-nag suppression limited to some findings
 * @param acknowledgement the reason of a related cdk-nag suppression on the resource, or "" when none
 * @param fact the model fact flagged (a security-group rule, a policy statement, ...), for the report to show
 *     the flag next to it
 */
public record Flag(String ruleId, Severity severity, String stack, String logicalId, String subject, String message,
        String nagFinding, String acknowledgement, Object fact) {

    /** The same flag, with a suppression's reason attached. */
    public Flag acknowledged(final String reason) {
        return new Flag(ruleId, severity, stack, logicalId, subject, message, nagFinding, reason, fact);
    }

    /** What identifies the flag across two assemblies. */
    public String key() {
        return ruleId + " " + stack + " " + logicalId + " " + subject;
    }
}
