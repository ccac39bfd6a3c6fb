package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Encryption;
import java.util.ArrayList;
import java.util.List;

/**
 * An S3 bucket without default encryption. Since 2023 S3 encrypts new objects with SSE-S3 anyway, so a
 * bucket that sets nothing is low; one that turns encryption off would be high.
 */
public final class UnencryptedBucket implements AuditRule {
    @Override
    public String description() {
        return "An S3 bucket sets no default encryption (S3 then applies SSE-S3), or turns it off";
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (Encryption fact : model.encryption()) {
            if (fact.kind() == Encryption.Kind.BUCKET && !Boolean.TRUE.equals(fact.encrypted())) {
                flags.add(flag(fact, fact.encrypted() == null ? Severity.LOW : Severity.HIGH, fact.stack(), fact.logicalId(),
                        fact.subject(), fact.detail()));
            }
        }
        return flags;
    }
}
