package com.fractal.gpuhost.audit.rules;

import com.fractal.gpuhost.audit.model.AuditModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The report's rules, in the order the report explains them, and their evaluation. */
public final class AuditRules {
    public static final List<AuditRule> ALL = List.of(new WorldOpenSshOrRdp(), new WorldOpenIngress(),
            new WorldOpenEgress(), new WildcardTrustPrincipal(), new WildcardAction(), new WildcardResource(),
            new UnencryptedVolume(), new UnencryptedBucket(), new UnencryptedTopic(), new UnencryptedAmi(),
            new ImdsV1Allowed(), new PublicAmi());

    private AuditRules() {
    }

    /**
     * Every flag of every rule, most severe first; a flag on a resource where a related cdk-nag rule is
     * suppressed (for all its findings, or for this one) carries that suppression's reason.
     */
    public static List<Flag> evaluate(final AuditModel model) {
        List<Flag> flags = new ArrayList<>();
        for (AuditRule rule : ALL) {
            for (Flag flag : rule.check(model)) {
                flags.add(acknowledgement(model, rule, flag).map(flag::acknowledged).orElse(flag));
            }
        }
        flags.sort(Comparator.comparing(Flag::severity));
        return List.copyOf(flags);
    }

    private static Optional<String> acknowledgement(final AuditModel model, final AuditRule rule, final Flag flag) {
        return model.nagSuppressions(flag.stack(), flag.logicalId()).stream()
                .filter(s -> rule.relatedNagRules().contains(s.ruleId()))
                .filter(s -> s.appliesTo().isEmpty() || s.appliesTo().contains(flag.nagFinding()))
                .map(s -> s.ruleId() + ": " + s.reason())
                .findFirst();
    }

    /** Only for the report's legend: the rule with this ID. */
    public static AuditRule byId(final String id) {
        return ALL.stream().filter(rule -> rule.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no audit rule " + id));
    }

}
