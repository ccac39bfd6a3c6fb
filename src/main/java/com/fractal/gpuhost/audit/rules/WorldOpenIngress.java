package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.SecurityGroup;
import com.fractal.gpuhost.audit.model.SecurityGroupRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Ingress from 0.0.0.0/0 or ::/0. Rules that also expose SSH or RDP are left to {@link WorldOpenSshOrRdp},
 * which flags them as critical.
 */
public final class WorldOpenIngress implements AuditRule {
    @Override
    public String description() {
        return "An ingress rule accepts traffic from the whole internet (0.0.0.0/0 or ::/0)";
    }

    @Override
    public List<String> relatedNagRules() {
        return List.of("AwsSolutions-EC23");
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (SecurityGroup group : model.securityGroups()) {
            for (SecurityGroupRule rule : group.rules()) {
                if (rule.worldOpen(SecurityGroupRule.Direction.INGRESS)
                        && !WorldOpenSshOrRdp.exposesRemoteShell(rule)) {
                    flags.add(flag(rule, Severity.MEDIUM, group.stack(), group.logicalId(),
                            group.label() + ": " + rule.summary(),
                            rule.protocol() + " " + rule.ports() + " open to the internet"));
                }
            }
        }
        return flags;
    }
}
