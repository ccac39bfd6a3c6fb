package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.SecurityGroup;
import com.fractal.gpuhost.audit.model.SecurityGroupRule;
import java.util.ArrayList;
import java.util.List;

/** Egress to 0.0.0.0/0 or ::/0: common (package mirrors, AWS APIs), but it is also the way data leaves. */
public final class WorldOpenEgress implements AuditRule {
    @Override
    public String description() {
        return "An egress rule lets the group reach the whole internet (0.0.0.0/0 or ::/0)";
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (SecurityGroup group : model.securityGroups()) {
            for (SecurityGroupRule rule : group.rules()) {
                if (rule.worldOpen(SecurityGroupRule.Direction.EGRESS)) {
                    flags.add(flag(rule, Severity.LOW, group.stack(), group.logicalId(),
                            group.label() + ": " + rule.summary(),
                            rule.protocol() + " " + rule.ports() + " to anywhere on the internet"));
                }
            }
        }
        return flags;
    }
}
