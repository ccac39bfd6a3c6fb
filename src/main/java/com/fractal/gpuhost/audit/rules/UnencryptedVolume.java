package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Encryption;
import java.util.ArrayList;
import java.util.List;

/**
 * An EBS volume (of a launch template, instance, volume or image recipe) that is not encrypted: explicitly off is
 * high; not set (the account's EBS encryption-by-default or the snapshot decides) is medium.
 */
public final class UnencryptedVolume implements AuditRule {
    @Override
    public String description() {
        return "An EBS volume (launch template, instance, volume, image recipe) is not encrypted, or the template does not say";
    }

    @Override
    public List<String> relatedNagRules() {
        return List.of("AwsSolutions-EC26");
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (Encryption fact : model.encryption()) {
            if (fact.kind() == Encryption.Kind.VOLUME && !Boolean.TRUE.equals(fact.encrypted())) {
                flags.add(flag(fact, fact.encrypted() == null ? Severity.MEDIUM : Severity.HIGH, fact.stack(), fact.logicalId(),
                        fact.subject(), fact.detail()));
            }
        }
        return flags;
    }
}
