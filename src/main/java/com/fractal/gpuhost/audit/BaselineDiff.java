package com.fractal.gpuhost.audit;

import static com.fractal.gpuhost.audit.ReportBuilder.FLAGS;
import static com.fractal.gpuhost.audit.ReportBuilder.STACKS;

import com.fractal.gpuhost.audit.Change.Kind;
import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.NagResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What changed between a baseline assembly and the current one, only where {@code cdk diff} cannot show it. cdk diff
 * compares each stack of the current app with one template (deployed or saved), property by property, Metadata
 * (and so the cdk-nag suppressions) included. It cannot show two whole assemblies side by side: which stacks, in
 * which regions, one has and the other has not (a stack that is gone is not in the app it diffs), and cdk-nag's
 * verdicts, which live in its reports, not in the templates: findings raised, accepted or cleared.
 */
public final class BaselineDiff {
    private BaselineDiff() {
    }

    public static List<Change> between(final AuditModel baseline, final AuditModel current) {
        List<Change> changes = new ArrayList<>();
        Map<String, StackTemplate> before = index(baseline.stacks(), StackTemplate::name);
        Map<String, StackTemplate> after = index(current.stacks(), StackTemplate::name);
        for (StackTemplate stack : after.values()) {
            StackTemplate was = before.get(stack.name());
            if (was == null) {
                changes.add(new Change(STACKS, Kind.ADDED, stack.name(), stack.name(), "in " + stack.region() + ", "
                        + stack.resourceTotal() + " resources, " + flags(current, stack.name()::equals).size()
                        + " cdk-nag findings (see the sections below)"));
            } else if (!was.region().equals(stack.region())) {
                changes.add(new Change(STACKS, Kind.CHANGED, stack.name(), stack.name(), "region " + was.region()
                        + " -> " + stack.region()));
            }
        }
        before.values().stream().filter(stack -> !after.containsKey(stack.name())).forEach(stack -> changes.add(
                new Change(STACKS, Kind.REMOVED, stack.name(), stack.name(), "was in " + stack.region() + ", "
                        + stack.resourceTotal() + " resources")));
        Map<String, NagResult> cleared = index(flags(baseline, after::containsKey), NagResult::key);
        for (NagResult flag : index(flags(current, before::containsKey), NagResult::key).values()) {
            NagResult was = cleared.remove(flag.key());
            if (was == null) {
                changes.add(flagChange(Kind.ADDED, flag, verdict(flag)));
            } else if (!verdict(was).equals(verdict(flag))) {
                changes.add(flagChange(Kind.CHANGED, flag, verdict(was) + " -> " + verdict(flag)));
            }
        }
        cleared.values().forEach(flag -> changes.add(flagChange(Kind.REMOVED, flag, verdict(flag))));
        return List.copyOf(changes);
    }

    /** cdk-nag's findings on the stacks that pass the test. */
    private static List<NagResult> flags(final AuditModel model, final Predicate<String> stacks) {
        return model.nagResults().stream().filter(f -> f.isFlag() && stacks.test(f.stack())).toList();
    }

    private static Change flagChange(final Kind kind, final NagResult flag, final String detail) {
        return new Change(FLAGS, kind, flag.stack(), flag.ruleId() + " on " + flag.resourcePath(), detail);
    }

    private static String verdict(final NagResult flag) {
        return flag.compliance() + (flag.reason().isEmpty() || flag.reason().equals("N/A") ? "" : ": " + flag.reason());
    }

    /** The facts by key, the first of each: cdk-nag writes no finding on a line not suppressed, only its rule. */
    private static <T> Map<String, T> index(final List<T> facts, final Function<T, String> key) {
        return facts.stream().collect(Collectors.toMap(key, fact -> fact, (first, next) -> first, LinkedHashMap::new));
    }
}
