package com.fractal.gpuhost.audit.model;

import com.fractal.gpuhost.audit.StackTemplate;
import java.util.List;

/**
 * One row of a stack's cdk-nag report ({@code <pack>-<stack>-NagReport.csv}): a rule's verdict on a resource
 * ("Compliant", "Non-Compliant", "Suppressed").
 */
public record NagResult(String stack, String pack, String ruleId, String resourcePath, String compliance,
        String reason, String level, String info) {
    public static final String SUPPRESSED = "Suppressed";
    public static final String COMPLIANT = "Compliant";

    public static List<NagResult> read(final StackTemplate stack) {
        return stack.nagResults();
    }
}
