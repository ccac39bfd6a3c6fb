package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Encryption;
import java.util.ArrayList;
import java.util.List;

/** An SNS topic without KmsMasterKeyId: its messages are not encrypted at rest with a KMS key. */
public final class UnencryptedTopic implements AuditRule {
    @Override
    public String description() {
        return "An SNS topic has no KmsMasterKeyId: its messages are not encrypted at rest with KMS";
    }

    @Override
    public List<String> relatedNagRules() {
        return List.of("AwsSolutions-SNS2");
    }

    @Override
    public List<Flag> check(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (Encryption fact : model.encryption()) {
            if (fact.kind() == Encryption.Kind.TOPIC && !Boolean.TRUE.equals(fact.encrypted())) {
                flags.add(flag(fact, Severity.MEDIUM, fact.stack(), fact.logicalId(), fact.subject(), fact.detail()));
            }
        }
        return flags;
    }
}
