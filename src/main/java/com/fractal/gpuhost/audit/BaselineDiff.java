package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.Change.Kind;
import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Distribution;
import com.fractal.gpuhost.audit.model.Encryption;
import com.fractal.gpuhost.audit.model.IamRole;
import com.fractal.gpuhost.audit.model.InstanceMetadata;
import com.fractal.gpuhost.audit.model.PolicyStatement;
import com.fractal.gpuhost.audit.model.Retention;
import com.fractal.gpuhost.audit.model.SecurityGroup;
import com.fractal.gpuhost.audit.model.SecurityGroupRule;
import com.fractal.gpuhost.audit.model.StackFacts;
import com.fractal.gpuhost.audit.model.Suppression;
import com.fractal.gpuhost.audit.rules.Flag;
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
 * What changed between a baseline assembly and the current one, in the report's terms. A stack added or
 * removed is one change (its contents are in the report, or were in the baseline's); within the stacks both
 * hold: security-group rules added or removed, permissions widened or narrowed per role, distribution regions
 * added or removed, encryption, instance metadata and retention settings changed, suppressions added or
 * removed, and flags raised or cleared.
 */
public final class BaselineDiff {
    public static final String STACKS = "Stacks";
    public static final String RULES = "Security group rules";
    public static final String PERMISSIONS = "IAM permissions";
    public static final String TRUST = "IAM trust";
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

    public static List<Change> between(final AuditModel baseline, final List<Flag> baselineFlags,
            final AuditModel current, final List<Flag> currentFlags) {
        BaselineDiff diff = new BaselineDiff(baseline, current);
        diff.stacks(currentFlags);
        diff.securityGroupRules();
        diff.roles();
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
        diff.keyed(FLAGS, baselineFlags, currentFlags, Flag::key, Flag::stack,
                f -> f.severity().label() + " " + f.ruleId() + ": " + f.subject(), Flag::message);
        return List.copyOf(diff.changes);
    }


    private void stacks(final List<Flag> currentFlags) {
        Map<String, StackFacts> old = index(before.stacks(), StackFacts::name);
        Map<String, StackFacts> now = index(after.stacks(), StackFacts::name);
        for (StackFacts stack : after.stacks()) {
            StackFacts was = old.get(stack.name());
            if (was == null) {
                long flags = currentFlags.stream().filter(f -> f.stack().equals(stack.name())).count();
                add(STACKS, Kind.ADDED, stack.name(), stack.name(), "in " + stack.region() + ", "
                        + stack.resourceTotal() + " resources, " + flags + " flags (see the sections below)");
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

    private void securityGroupRules() {
        Map<String, Set<String>> old = rules(before);
        Map<String, Set<String>> now = rules(after);
        for (Map.Entry<String, Set<String>> group : now.entrySet()) {
            Set<String> was = old.getOrDefault(group.getKey(), Set.of());
            String stack = group.getKey().split(" ", 2)[0];
            group.getValue().stream().filter(rule -> !was.contains(rule)).forEach(rule ->
                    add(RULES, Kind.ADDED, stack, group.getKey().split(" ", 2)[1] + ": " + rule, world(rule)));
        }
        for (Map.Entry<String, Set<String>> group : old.entrySet()) {
            Set<String> is = now.getOrDefault(group.getKey(), Set.of());
            String stack = group.getKey().split(" ", 2)[0];
            group.getValue().stream().filter(rule -> !is.contains(rule)).forEach(rule ->
                    add(RULES, Kind.REMOVED, stack, group.getKey().split(" ", 2)[1] + ": " + rule, world(rule)));
        }
    }

    private static String world(final String rule) {
        return SecurityGroupRule.WORLD.stream().anyMatch(rule::contains) ? "open to the internet" : "";
    }

    /** "stack group" to the rules' one-line summaries, for the stacks both assemblies hold. */
    private Map<String, Set<String>> rules(final AuditModel model) {
        Map<String, Set<String>> rules = new LinkedHashMap<>();
        for (SecurityGroup group : model.securityGroups()) {
            if (common.contains(group.stack())) {
                Set<String> summaries = rules.computeIfAbsent(group.stack() + " " + group.label(),
                        key -> new LinkedHashSet<>());
                group.rules().forEach(rule -> summaries.add(rule.summary()));
            }
        }
        return rules;
    }

    private void roles() {
        Map<String, IamRole> old = index(inCommon(before.roles(), IamRole::stack), r -> r.stack() + " " + r.logicalId());
        Map<String, IamRole> now = index(inCommon(after.roles(), IamRole::stack), r -> r.stack() + " " + r.logicalId());
        for (Map.Entry<String, IamRole> entry : now.entrySet()) {
            IamRole role = entry.getValue();
            IamRole was = old.get(entry.getKey());
            if (was == null) {
                add(PERMISSIONS, Kind.ADDED, role.stack(), "role " + role.label(), role.permissions().size()
                        + " statements, managed policies " + role.managedPolicyArns());
                continue;
            }
            permissions(role, grants(was), grants(role));
            for (String arn : role.managedPolicyArns()) {
                if (!was.managedPolicyArns().contains(arn)) {
                    add(PERMISSIONS, Kind.WIDENED, role.stack(), "role " + role.label(), "managed policy " + arn
                            + " attached");
                }
            }
            for (String arn : was.managedPolicyArns()) {
                if (!role.managedPolicyArns().contains(arn)) {
                    add(PERMISSIONS, Kind.NARROWED, role.stack(), "role " + role.label(), "managed policy " + arn
                            + " detached");
                }
            }
            Set<String> trustWas = trust(was);
            Set<String> trustNow = trust(role);
            trustNow.stream().filter(t -> !trustWas.contains(t)).forEach(t ->
                    add(TRUST, t.startsWith("Deny") ? Kind.NARROWED : Kind.WIDENED, role.stack(), "role " + role.label(), t));
            trustWas.stream().filter(t -> !trustNow.contains(t)).forEach(t ->
                    add(TRUST, t.startsWith("Deny") ? Kind.WIDENED : Kind.NARROWED, role.stack(), "role " + role.label(), t));
        }
        for (Map.Entry<String, IamRole> entry : old.entrySet()) {
            if (!now.containsKey(entry.getKey())) {
                add(PERMISSIONS, Kind.REMOVED, entry.getValue().stack(), "role " + entry.getValue().label(), "");
            }
        }
    }

    /** Added allows widen and removed allows narrow (and the other way round for denies), grouped by resource. */
    private void permissions(final IamRole role, final Map<String, Set<String>> was, final Map<String, Set<String>> is) {
        for (Map.Entry<String, Set<String>> scope : is.entrySet()) {
            Set<String> added = new LinkedHashSet<>(scope.getValue());
            added.removeAll(was.getOrDefault(scope.getKey(), Set.of()));
            if (!added.isEmpty()) {
                boolean deny = scope.getKey().startsWith("Deny");
                add(PERMISSIONS, deny ? Kind.NARROWED : Kind.WIDENED, role.stack(), "role " + role.label(),
                        scope.getKey() + ": + " + String.join(", ", added));
            }
        }
        for (Map.Entry<String, Set<String>> scope : was.entrySet()) {
            Set<String> removed = new LinkedHashSet<>(scope.getValue());
            removed.removeAll(is.getOrDefault(scope.getKey(), Set.of()));
            if (!removed.isEmpty()) {
                boolean deny = scope.getKey().startsWith("Deny");
                add(PERMISSIONS, deny ? Kind.WIDENED : Kind.NARROWED, role.stack(), "role " + role.label(),
                        scope.getKey() + ": - " + String.join(", ", removed));
            }
        }
    }

    /** "Allow on RESOURCE [when CONDITIONS]" to the actions granted there. */
    private static Map<String, Set<String>> grants(final IamRole role) {
        Map<String, Set<String>> grants = new TreeMap<>();
        for (PolicyStatement statement : role.permissions()) {
            List<String> resources = new ArrayList<>(statement.resources());
            statement.notResources().forEach(r -> resources.add("NotResource " + r));
            List<String> actions = new ArrayList<>(statement.actions());
            statement.notActions().forEach(a -> actions.add("NotAction " + a));
            String when = statement.conditions().isEmpty() ? "" : " when " + String.join("; ", statement.conditions());
            for (String resource : resources) {
                grants.computeIfAbsent(statement.effect() + " on " + resource + when, key -> new LinkedHashSet<>())
                        .addAll(actions);
            }
        }
        return grants;
    }

    private static Set<String> trust(final IamRole role) {
        Set<String> trust = new LinkedHashSet<>();
        for (PolicyStatement statement : role.trust()) {
            for (String principal : statement.principals()) {
                trust.add(statement.effect() + " " + principal + " " + String.join(", ", statement.actions())
                        + (statement.conditions().isEmpty() ? "" : " when " + String.join("; ", statement.conditions())));
            }
        }
        return trust;
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
