package com.fractal.gpuhost.nag;

import io.github.cdklabs.cdknag.NagRuleCompliance;
import java.util.Map;

/** A role whose trust policy allows any principal ("*" or AWS "*") to assume it. */
public final class WildcardTrustPrincipal implements ProjectRule {
    @Override
    public String resourceType() {
        return "AWS::IAM::Role";
    }

    @Override
    public String info() {
        return "The role's trust policy allows any principal (\"*\") to assume it.";
    }

    @Override
    public String explanation() {
        return "Any AWS account, or anyone with a web identity token, could assume the role, held back only by "
                + "conditions. Name the account, service or federated provider that may assume it.";
    }

    @Override
    public NagRuleCompliance check(final String type, final Map<String, Object> properties) {
        if (!resourceType().equals(type)) {
            return NagRuleCompliance.NOT_APPLICABLE;
        }
        boolean open = CfnValues.list(CfnValues.map(properties, "AssumeRolePolicyDocument"), "Statement").stream()
                .filter(s -> s instanceof Map<?, ?> m && "Allow".equals(m.get("Effect")))
                .map(s -> ((Map<?, ?>) s).get("Principal"))
                .anyMatch(principal -> "*".equals(principal) || principal instanceof Map<?, ?> p
                        && p.values().stream().flatMap(v -> CfnValues.items(v).stream()).anyMatch("*"::equals));
        return open ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
}
