package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.Change.Kind;
import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Distribution;
import com.fractal.gpuhost.audit.model.Encryption;
import com.fractal.gpuhost.audit.model.InstanceMetadata;
import com.fractal.gpuhost.audit.model.NagResult;
import com.fractal.gpuhost.audit.model.Retention;
import com.fractal.gpuhost.audit.model.StackFacts;
import com.fractal.gpuhost.audit.model.Suppression;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What changed between a baseline assembly and the current one, only where {@code cdk diff} cannot show it: cdk
 * diff compares one stack with its deployed (or one saved) template and already tables IAM statement and
 * security-group changes, so those are left to it. What it cannot show is two whole assemblies side by side,
 * neither deployed: stacks added or removed; and, within the stacks both hold, AMI distribution regions, encryption,
 * instance metadata and retention settings in the report's terms, cdk-nag suppressions added or removed, and
 * cdk-nag findings raised, accepted or cleared.
 */
public final class BaselineDiff {
    public static final String STACKS = "Stacks";
    public static final String DISTRIBUTION = "AMI distribution";
    public static final String ENCRYPTION = "Encryption";
    public static final String METADATA = "Instance metadata";
    public static final String RETENTION = "Image retention";
    public static final String SUPPRESSIONS = "Suppressions";
    public static final String FLAGS = "Flags";

    private final AuditModel before;
    private final AuditModel after;
    private final Set<String> common = new LinkedHashSet<>();
    private final List<Change> changes = new ArrayList<>();

    private BaselineDiff(final AuditModel before, final AuditModel after) {
        this.before = before;
        this.after = after;
    }

    public static List<Change> between(final AuditModel baseline, final AuditModel current) {
        BaselineDiff diff = new BaselineDiff(baseline, current);
        List<NagResult> currentFlags = current.nagResults().stream().filter(NagResult::isFlag).toList();
        diff.stacks(currentFlags);
        diff.distributions();
        diff.keyed(ENCRYPTION, diff.before.encryption(), diff.after.encryption(), e -> e.stack() + " " + e.logicalId() + " "
                + e.subject(), Encryption::stack, Encryption::subject, BaselineDiff::encryption);
        diff.keyed(METADATA, diff.before.instanceMetadata(), diff.after.instanceMetadata(),
                m -> m.stack() + " " + m.logicalId(), InstanceMetadata::stack,
                m -> m.resourceType() + " " + m.logicalId(), m -> "HttpTokens "
                        + (m.httpTokens() == null ? "not set" : m.httpTokens()) + " (" + m.detail() + ")");
        diff.keyed(RETENTION, diff.before.retention(), diff.after.retention(), r -> r.stack() + " " + r.logicalId(),
                Retention::stack, Retention::name, r -> r.status() + " " + String.join("; ", r.rules()) + " for "
                        + r.selection());
        diff.keyed(SUPPRESSIONS, diff.before.suppressions(), diff.after.suppressions(),
                s -> s.tool() + " " + s.stack() + " " + s.logicalId() + " " + s.ruleId() + " " + s.appliesTo(),
                Suppression::stack, s -> s.tool() + " " + s.ruleId() + " on " + s.path()
                        + (s.appliesTo().isEmpty() ? "" : " for " + String.join(", ", s.appliesTo())),
                Suppression::reason);
        diff.keyed(FLAGS, baseline.nagResults().stream().filter(NagResult::isFlag).toList(), currentFlags,
                NagResult::key, NagResult::stack, f -> f.ruleId() + " on " + f.resourcePath(),
                f -> f.compliance() + (f.reason().isEmpty() || f.reason().equals("N/A") ? "" : ": " + f.reason()));
        return List.copyOf(diff.changes);
    }


    private void stacks(final List<NagResult> currentFlags) {
        Map<String, StackFacts> old = index(before.stacks(), StackFacts::name);
        Map<String, StackFacts> now = index(after.stacks(), StackFacts::name);
        for (StackFacts stack : after.stacks()) {
            StackFacts was = old.get(stack.name());
            if (was == null) {
                long flags = currentFlags.stream().filter(f -> f.stack().equals(stack.name())).count();
                add(STACKS, Kind.ADDED, stack.name(), stack.name(), "in " + stack.region() + ", "
                        + stack.resourceTotal() + " resources, " + flags + " cdk-nag findings (see the sections below)");
            } else {
                common.add(stack.name());
                if (!was.region().equals(stack.region())) {
                    add(STACKS, Kind.CHANGED, stack.name(), stack.name(), "region " + was.region() + " -> "
                            + stack.region());
                }
            }
        }
        for (StackFacts stack : before.stacks()) {
            if (!now.containsKey(stack.name())) {
                add(STACKS, Kind.REMOVED, stack.name(), stack.name(), "was in " + stack.region() + ", "
                        + stack.resourceTotal() + " resources");
            }
        }
    }

    private void distributions() {
        Map<String, Distribution> old = index(inCommon(before.distributions(), Distribution::stack), BaselineDiff::region);
        Map<String, Distribution> now = index(inCommon(after.distributions(), Distribution::stack), BaselineDiff::region);
        for (Map.Entry<String, Distribution> entry : now.entrySet()) {
            Distribution is = entry.getValue();
            Distribution was = old.get(entry.getKey());
            String subject = is.configurationName() + " region " + is.region();
            if (was == null) {
                add(DISTRIBUTION, Kind.ADDED, is.stack(), subject, "AMIs now copied to " + is.region()
                        + ", ID in " + String.join(", ", is.ssmParameters()));
                continue;
            }
            List<String> fields = new ArrayList<>();
            field(fields, "AMI name", was.amiName(), is.amiName());
            field(fields, "KMS key", was.kmsKey(), is.kmsKey());
            field(fields, "SSM parameters", was.ssmParameters(), is.ssmParameters());
            field(fields, "launch permissions", was.launchPermissions(), is.launchPermissions());
            field(fields, "target accounts", was.targetAccounts(), is.targetAccounts());
            if (!fields.isEmpty()) {
                add(DISTRIBUTION, Kind.CHANGED, is.stack(), subject, String.join("; ", fields));
            }
        }
        for (Map.Entry<String, Distribution> entry : old.entrySet()) {
            if (!now.containsKey(entry.getKey())) {
                Distribution was = entry.getValue();
                add(DISTRIBUTION, Kind.REMOVED, was.stack(), was.configurationName() + " region " + was.region(),
                        "AMIs no longer copied to " + was.region());
            }
        }
    }

    private static String region(final Distribution d) {
        return d.stack() + " " + d.logicalId() + " " + d.region();
    }

    private static void field(final List<String> fields, final String name, final Object was, final Object is) {
        if (!Objects.equals(was, is)) {
            fields.add(name + " " + was + " -> " + is);
        }
    }

    private static String encryption(final Encryption e) {
        return (e.encrypted() == null ? "not set" : e.encrypted() ? "encrypted" : "NOT encrypted") + " (" + e.detail()
                + ")";
    }

    /** Facts matched by key: added, removed, or changed in what {@code state} says about them. */
    private <T> void keyed(final String category, final List<T> old, final List<T> now, final Function<T, String> key,
            final Function<T, String> stack, final Function<T, String> subject, final Function<T, String> state) {
        Map<String, T> was = index(inCommon(old, stack), key);
        Map<String, T> is = index(inCommon(now, stack), key);
        for (Map.Entry<String, T> entry : is.entrySet()) {
            T fact = entry.getValue();
            T previous = was.get(entry.getKey());
            if (previous == null) {
                add(category, Kind.ADDED, stack.apply(fact), subject.apply(fact), state.apply(fact));
            } else if (!state.apply(previous).equals(state.apply(fact))) {
                add(category, Kind.CHANGED, stack.apply(fact), subject.apply(fact), state.apply(previous) + " -> "
                        + state.apply(fact));
            }
        }
        for (Map.Entry<String, T> entry : was.entrySet()) {
            if (!is.containsKey(entry.getKey())) {
                T fact = entry.getValue();
                add(category, Kind.REMOVED, stack.apply(fact), subject.apply(fact), state.apply(fact));
            }
        }
    }

    private <T> List<T> inCommon(final List<T> facts, final Function<T, String> stack) {
        return facts.stream().filter(fact -> common.contains(stack.apply(fact))).toList();
    }

    private static <T> Map<String, T> index(final List<T> facts, final Function<T, String> key) {
        Map<String, T> index = new LinkedHashMap<>();
        facts.forEach(fact -> index.putIfAbsent(key.apply(fact), fact));
        return index;
    }

    private void add(final String category, final Kind kind, final String stack, final String subject,
            final String detail) {
        changes.add(new Change(category, kind, stack, subject, detail));
    }
}
