package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.IamRole;
import com.fractal.gpuhost.audit.model.PolicyStatement;
import java.util.ArrayList;
import java.util.List;

/**
 * An Allow statement of a role's permissions on a wildcard resource: "*" (every resource) or NotResource is
 * high; an ARN pattern with a "*" in it (a prefix, a path) is low, as it is bounded by the rest of the ARN,
 * and so is "*" for EC2's read-only Describe actions, which take no resource-level permission at all.
 */
public final class WildcardResource implements AuditRule {
    @Override
    public String description() {
        return "A role may act on resources named by a wildcard (\"*\", an ARN pattern) or by NotResource";
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
                String actions = String.join(", ", statement.actions());
                for (String resource : statement.resources()) {
                    if (resource.equals("*") && onlyEc2Describe(statement)) {
                        flags.add(flag(statement, Severity.LOW, role.stack(), statement.definedIn(), role.label() + ": "
                                + actions + " on *", "every resource, read-only: EC2's Describe actions take no "
                                + "resource-level permission (" + statement.source() + ")", "Resource::*"));
                    } else if (resource.equals("*")) {
                        flags.add(flag(statement, Severity.HIGH, role.stack(), statement.definedIn(), role.label() + ": " + actions
                                + " on *", "every resource (" + statement.source() + ")", "Resource::*"));
                    } else if (resource.contains("*")) {
                        flags.add(flag(statement, Severity.LOW, role.stack(), statement.definedIn(), role.label() + ": " + actions
                                + " on " + resource, "resources matching the pattern (" + statement.source() + ")",
                                "Resource::" + AuditRule.nagForm(resource)));
                    }
                }
                if (!statement.notResources().isEmpty()) {
                    flags.add(flag(statement, Severity.HIGH, role.stack(), statement.definedIn(),
                            role.label() + ": NotResource " + String.join(", ", statement.notResources()),
                            "every resource except those listed (" + statement.source() + ")"));
                }
            }
        }
        return flags;
    }

    private static boolean onlyEc2Describe(final PolicyStatement statement) {
        return !statement.actions().isEmpty() && statement.actions().stream()
                .allMatch(action -> action.startsWith("ec2:Describe") && !action.contains("*"));
    }
}
