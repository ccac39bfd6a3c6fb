package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import java.util.List;

/** One check over the audit model. Each rule is one class, named after what it flags. */
public interface AuditRule {
    List<Flag> check(AuditModel model);

    /** What the rule flags and why it matters, in one sentence. */
    String description();

    /** cdk-nag rules whose suppression on the same resource documents an accepted flag of this rule. */
    default List<String> relatedNagRules() {
        return List.of();
    }

    /**
     * A rendered value in cdk-nag's form for applies_to: {@code ${AWS::Partition}}, {@code {Ref: X}} and
     * {@code {GetAtt: X.Arn}} become {@code <AWS::Partition>}, {@code <X>} and {@code <X.Arn>}.
     */
    static String nagForm(final String rendered) {
        return rendered.replaceAll("\\$\\{([^}]+)}", "<$1>").replaceAll("\\{(?:Ref|GetAtt): ([^}]+)}", "<$1>");
    }

    default String id() {
        return getClass().getSimpleName();
    }

    default Flag flag(final Object fact, final Severity severity, final String stack, final String logicalId,
            final String subject, final String message) {
        return new Flag(id(), severity, stack, logicalId, subject, message, "", "", fact);
    }

    default Flag flag(final Object fact, final Severity severity, final String stack, final String logicalId,
            final String subject, final String message, final String nagFinding) {
        return new Flag(id(), severity, stack, logicalId, subject, message, nagFinding, "", fact);
    }
}
