package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.IamRole;
import com.fractal.gpuhost.audit.model.PolicyStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * An Allow statement of a role's permissions with a wildcard action: "*" or "service:*" (every action of a
 * service) is high, a pattern such as "s3:Get*" medium, and NotAction (everything but) high.
 */
public final class WildcardAction implements AuditRule {
    @Override
    public String description() {
        return "A role may perform actions named by a wildcard (\"*\", \"service:*\", \"s3:Get*\") or by NotAction";
    }

    @Override
    public List<String> relatedNagRules() {
        return List.of("AwsSolutions-IAM5");
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (IamRole role : model.roles()) {
            for (PolicyStatement statement : role.allowedPermissions()) {
                for (String action : statement.actions()) {
                    if (action.contains("*")) {
                        boolean whole = action.equals("*") || action.endsWith(":*");
                        flags.add(flag(statement, whole ? Severity.HIGH : Severity.MEDIUM, role.stack(), statement.definedIn(),
                                role.label() + ": " + action, (whole ? "every action" : "actions matching " + action)
                                        + (action.equals("*") ? "" : " of " + action.split(":")[0]) + " ("
                                        + statement.source() + ")", "Action::" + action));
                    }
                }
                if (!statement.notActions().isEmpty()) {
                    flags.add(flag(statement, Severity.HIGH, role.stack(), statement.definedIn(),
                            role.label() + ": NotAction " + String.join(", ", statement.notActions()),
                            "every action except those listed (" + statement.source() + ")"));
                }
            }
        }
        return flags;
    }
}
