package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Encryption;
import java.util.ArrayList;
import java.util.List;

/**
 * A distributed AMI that is not encrypted: the distribution names no KMS key and the recipe's volumes are not
 * all encrypted (high), or the template cannot tell (medium: the recipe or the parent image decides).
 */
public final class UnencryptedAmi implements AuditRule {
    @Override
    public String description() {
        return "A distributed AMI is not encrypted: neither a KMS key in the distribution nor encrypted recipe volumes";
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (Encryption fact : model.encryption()) {
            if (fact.kind() == Encryption.Kind.AMI && !Boolean.TRUE.equals(fact.encrypted())) {
                flags.add(flag(fact, fact.encrypted() == null ? Severity.MEDIUM : Severity.HIGH, fact.stack(), fact.logicalId(),
                        fact.subject(), fact.detail()));
            }
        }
        return flags;
    }
}
