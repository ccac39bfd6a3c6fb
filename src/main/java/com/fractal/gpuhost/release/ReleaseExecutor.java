package com.fractal.gpuhost.release;

import com.fractal.gpuhost.release.ReleaseGateway.GatewayException;
import com.fractal.gpuhost.release.ReleaseGateway.Image;
import com.fractal.gpuhost.release.ReleasePlan.AccountChange;
import com.fractal.gpuhost.release.ReleasePlan.RegionChange;
import com.fractal.gpuhost.release.ReleasePlan.TagChange;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Carries out a checked plan, all regions or none (and, with workload accounts, all accounts × regions or
 * none): the held-by tags go on first (extra protection is harmless), then each region's channel parameter
 * is written in the build account, then in each workload account; when a write fails, every parameter
 * already written, in every account, is put back and the release fails. Tags of AMIs that left the window
 * come off last, and the release is announced on the build topic.
 */
public final class ReleaseExecutor {
    private final ReleaseConfig config;
    private final ReleaseGateway gateway;
    private final PrintStream out;

    public ReleaseExecutor(final ReleaseConfig config, final ReleaseGateway gateway, final PrintStream out) {
        this.config = config;
        this.gateway = gateway;
        this.out = out;
    }

    /** Prints the plan, then (unless a dry run) carries it out and prints what was done. */
    public void run(final ReleasePlan plan, final boolean dryRun) {
        printPlan(plan);
        if (!plan.changesAnything()) {
            out.println("nothing to do: " + plan.channel().name() + " already holds " + plan.buildName()
                    + " in every region" + (plan.accountChanges().isEmpty() ? "" : " of every account"));
            return;
        }
        if (dryRun) {
            out.println("dry run: nothing changed");
            return;
        }
        String tagKey = plan.channel().heldByTagKey();
        for (TagChange change : plan.tagsToAdd()) {
            try {
                gateway.tag(change.region(), change.resourceIds(), tagKey, config.heldByTagValue());
            } catch (GatewayException e) {
                throw ReleaseException.failed(plan.summary() + " failed before any channel change: tagging "
                        + change.image().id() + " in " + change.region() + ": " + e.getMessage()
                        + "; the channel is unchanged");
            }
        }
        writeAll(plan);
        out.println("done: " + plan.channel().name() + " holds " + plan.buildName() + " in "
                + plan.changes().size() + " regions" + accounts(plan));
        List<String> untagFailures = new ArrayList<>();
        for (TagChange change : plan.tagsToRemove()) {
            try {
                gateway.untag(change.region(), change.resourceIds(), tagKey);
            } catch (GatewayException e) {
                untagFailures.add(change.region() + " " + change.image().id() + " (" + e.getMessage() + ")");
            }
        }
        if (!plan.tagsToAdd().isEmpty() || !plan.tagsToRemove().isEmpty()) {
            out.println("retention: " + tagKey + " added to " + plan.tagsToAdd().size() + " AMI(s), removed from "
                    + (plan.tagsToRemove().size() - untagFailures.size()) + " AMI(s)");
        }
        notify(plan);
        if (!untagFailures.isEmpty()) {
            throw ReleaseException.failed("the channel moved, but " + tagKey + " could not be removed from "
                    + String.join(", ", untagFailures) + "; retention keeps those AMIs until the tag is removed");
        }
    }

    /** One parameter to write and how to put it back: a region of the build account or of a workload account. */
    private record Write(String where, String from, String to, Runnable write, Runnable putBack) {
    }

    private List<Write> writes(final ReleasePlan plan) {
        String name = plan.channel().ssmName();
        List<Write> writes = new ArrayList<>();
        plan.changes().stream().filter(RegionChange::moves).forEach(change -> writes.add(new Write(change.region(),
                change.from().map(Image::id).orElse("(no parameter)"), change.to().id(),
                () -> gateway.putImageParameter(change.region(), name, change.to().id(), change.description()),
                () -> putBack(change, name))));
        plan.accountChanges().stream().filter(AccountChange::moves).forEach(change -> {
            ReleaseGateway account = change.reader().gateway();
            writes.add(new Write(change.where(), change.from().orElse("(no parameter)"), change.to(),
                    () -> account.putImageParameter(change.region(), name, change.to(), "release: " + plan.summary()),
                    () -> change.from().ifPresentOrElse(
                            id -> account.putImageParameter(change.region(), name, id,
                                    "release: put back after a failed release"),
                            () -> account.deleteParameter(change.region(), name))));
        });
        return writes;
    }

    private void writeAll(final ReleasePlan plan) {
        String name = plan.channel().ssmName();
        List<Write> written = new ArrayList<>();
        for (Write write : writes(plan)) {
            try {
                write.write().run();
                written.add(write);
                out.println("  " + write.where() + ": " + name + " = " + write.to());
            } catch (GatewayException e) {
                out.println("  " + write.where() + ": writing " + name + " failed: " + e.getMessage());
                List<String> putBack = new ArrayList<>();
                List<String> notPutBack = new ArrayList<>();
                for (Write done : written) {
                    try {
                        done.putBack().run();
                        putBack.add(done.where());
                        out.println("  " + done.where() + ": put back to " + done.from());
                    } catch (GatewayException again) {
                        notPutBack.add(done.where() + " (" + again.getMessage() + ")");
                    }
                }
                untagAdded(plan);
                throw ReleaseException.failed(plan.summary() + " failed in " + write.where() + " ("
                        + e.getMessage() + "); " + (notPutBack.isEmpty()
                                ? (putBack.isEmpty() ? "no region had been changed" : "put back "
                                        + String.join(", ", putBack)) + ": the channel is unchanged"
                                : "COULD NOT PUT BACK " + String.join(", ", notPutBack)
                                        + ": the channel points at two builds; run `release status`"));
            }
        }
    }

    /** After a failed release, the held-by tags it added come off again: the release changed nothing. */
    private void untagAdded(final ReleasePlan plan) {
        for (TagChange change : plan.tagsToAdd()) {
            try {
                gateway.untag(change.region(), change.resourceIds(), plan.channel().heldByTagKey());
            } catch (GatewayException e) {
                out.println("  " + change.region() + ": " + change.image().id() + " keeps "
                        + plan.channel().heldByTagKey() + " (" + e.getMessage() + ")");
            }
        }
    }

    private void putBack(final RegionChange change, final String name) {
        Optional<Image> from = change.from();
        if (from.isPresent()) {
            gateway.putImageParameter(change.region(), name, from.get().id(),
                    "release: put back after a failed release; holds version " + change.fromVersion());
        } else {
            gateway.deleteParameter(change.region(), name);
        }
    }

    private void printPlan(final ReleasePlan plan) {
        out.println("plan: " + plan.summary() + " (" + plan.buildName() + ") in " + plan.changes().size()
                + " regions" + accounts(plan) + ", all or none:");
        for (RegionChange change : plan.changes()) {
            out.println(String.format("  %-15s %s -> %s%s", change.region(),
                    change.from().map(Image::id).orElse("(none)"), change.to().id(),
                    change.moves() ? "" : " (already)"));
        }
        for (AccountChange change : plan.accountChanges()) {
            out.println(String.format("  %-28s %s -> %s%s", change.where(), change.from().orElse("(none)"),
                    change.to(), change.moves() ? "" : " (already)"));
        }
        String key = plan.channel().heldByTagKey();
        byBuild(plan.tagsToAdd()).forEach((build, changes) -> out.println("  retention: tag " + key + "="
                + config.heldByTagValue() + " on " + build + " (" + changes.size() + " AMIs, "
                + changes.stream().mapToInt(c -> c.image().snapshotIds().size()).sum() + " snapshots)"));
        byBuild(plan.tagsToRemove()).forEach((build, changes) -> out.println("  retention: untag " + build + " ("
                + changes.size() + " AMIs: out of the last " + config.historyKept() + " promotions of "
                + plan.channel().name() + ")"));
    }

    /** " of the build account and N workload accounts" when the plan reaches any. */
    private static String accounts(final ReleasePlan plan) {
        long accounts = plan.accountChanges().stream().map(change -> change.reader().account()).distinct().count();
        return accounts == 0 ? "" : " of the build account and " + accounts + " workload account"
                + (accounts == 1 ? "" : "s");
    }

    private static Map<String, List<TagChange>> byBuild(final List<TagChange> changes) {
        Map<String, List<TagChange>> builds = new LinkedHashMap<>();
        changes.forEach(change -> builds.computeIfAbsent(change.image().name(), b -> new ArrayList<>()).add(change));
        return builds;
    }

    private void notify(final ReleasePlan plan) {
        String message = plan.summary() + ": " + plan.channel().name() + " now holds " + plan.buildName() + " in "
                + String.join(", ", plan.changes().stream().map(c -> c.region() + " " + c.to().id()).toList())
                + (plan.accountChanges().isEmpty() ? "" : "; and in workload accounts " + String.join(", ",
                        plan.accountChanges().stream().map(c -> c.reader().account()).distinct().toList()));
        try {
            Optional<String> topic = gateway.parameter(config.buildRegion(), config.topicArnSsmName());
            if (topic.isEmpty()) {
                out.println("not announced: " + config.topicArnSsmName() + " does not exist in " + config.buildRegion()
                        + " (deploy the image pipeline stack)");
                return;
            }
            gateway.publish(config.buildRegion(), topic.get(), "GPU host image: " + plan.summary(), message);
            out.println("announced on " + topic.get());
        } catch (GatewayException e) {
            out.println("not announced: " + e.getMessage());
        }
    }
}
