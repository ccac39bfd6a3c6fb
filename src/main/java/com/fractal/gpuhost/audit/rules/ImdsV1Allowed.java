package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.InstanceMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Instances that may use IMDSv1: HttpTokens "optional", or not set. IMDSv1 answers any request from the
 * instance, so an SSRF bug there hands out the role's credentials.
 */
public final class ImdsV1Allowed implements AuditRule {
    @Override
    public String description() {
        return "Instances may use IMDSv1 (HttpTokens not \"required\"): an SSRF on the host can read the role's "
                + "credentials";
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (InstanceMetadata fact : model.instanceMetadata()) {
            if (!fact.requiresV2()) {
                flags.add(flag(fact, Severity.HIGH, fact.stack(), fact.logicalId(), fact.resourceType() + " "
                        + fact.logicalId(), "HttpTokens " + (fact.httpTokens() == null ? "not set" : fact.httpTokens())
                        + ": " + fact.detail()));
            }
        }
        return flags;
    }
}
