package com.fractal.gpuhost.nag;

import io.github.cdklabs.cdknag.NagRuleCompliance;
import java.util.Map;

/**
 * One project rule: a pure function of a resource as CloudFormation receives it (its type and its resolved
 * properties), for what neither cdk-nag's AwsSolutions pack nor a Control Tower control checks.
 */
public interface ProjectRule {
    /** The rule's ID within the pack: cdk-nag reports it as {@code FractalProject-<id>}. */
    default String id() {
        return getClass().getSimpleName();
    }

    /** The CloudFormation type the rule checks; the pack calls it only for resources of that type. */
    String resourceType();

    /** What the rule flags, in one sentence. */
    String info();

    /** Why it matters and how to fix it. */
    String explanation();

    /** COMPLIANT, NON_COMPLIANT, or NOT_APPLICABLE to a resource of another type than {@link #resourceType()}. */
    NagRuleCompliance check(String type, Map<String, Object> properties);
}
