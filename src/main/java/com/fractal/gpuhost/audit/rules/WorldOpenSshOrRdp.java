package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.SecurityGroup;
import com.fractal.gpuhost.audit.model.SecurityGroupRule;
import java.util.ArrayList;
import java.util.List;

/** SSH (22) or RDP (3389) reachable from the whole internet: critical, whatever else the rule allows. */
public final class WorldOpenSshOrRdp implements AuditRule {
    static final int SSH = 22;
    static final int RDP = 3389;

    /** Whether a rule lets the internet reach SSH or RDP. */
    static boolean exposesRemoteShell(final SecurityGroupRule rule) {
        return rule.worldOpen(SecurityGroupRule.Direction.INGRESS)
                && (rule.coversTcpPort(SSH) || rule.coversTcpPort(RDP));
    }

    @Override
    public String description() {
        return "An ingress rule opens SSH (22) or RDP (3389) to 0.0.0.0/0 or ::/0: remote shells exposed to the "
                + "whole internet";
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
                if (exposesRemoteShell(rule)) {
                    String what = rule.coversTcpPort(SSH) && rule.coversTcpPort(RDP) ? "SSH and RDP"
                            : rule.coversTcpPort(SSH) ? "SSH" : "RDP";
                    flags.add(flag(rule, Severity.CRITICAL, group.stack(), group.logicalId(),
                            group.label() + ": " + rule.summary(), what + " open to the internet"));
                }
            }
        }
        return flags;
    }
}
