package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.IamRole;
import com.fractal.gpuhost.audit.model.PolicyStatement;
import java.util.ArrayList;
import java.util.List;

/** A trust policy that lets any principal ("*", "AWS: *") assume the role: critical without conditions. */
public final class WildcardTrustPrincipal implements AuditRule {
    @Override
    public String description() {
        return "A role's trust policy allows any principal (\"*\") to assume it";
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (IamRole role : model.roles()) {
            for (PolicyStatement statement : role.trust()) {
                if (statement.allows() && (statement.principals().contains("*")
                        || statement.principals().contains("AWS: *"))) {
                    boolean conditioned = !statement.conditions().isEmpty();
                    flags.add(flag(statement, conditioned ? Severity.HIGH : Severity.CRITICAL, role.stack(), role.logicalId(),
                            role.label() + ": trust " + String.join(", ", statement.principals()),
                            "any principal may assume the role" + (conditioned ? ", subject to "
                                    + String.join("; ", statement.conditions()) : "")));
                }
            }
        }
        return flags;
    }
}
