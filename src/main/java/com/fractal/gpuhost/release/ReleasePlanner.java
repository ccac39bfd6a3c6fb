package com.fractal.gpuhost.release;

import com.fractal.gpuhost.release.ReleaseConfig.Channel;
import com.fractal.gpuhost.release.ReleaseGateway.Image;
import com.fractal.gpuhost.release.ReleaseGateway.Version;
import com.fractal.gpuhost.release.ReleasePlan.AccountChange;
import com.fractal.gpuhost.release.ReleasePlan.RegionChange;
import com.fractal.gpuhost.release.ReleasePlan.TagChange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes a promotion or rollback for every active region, reading only, and refuses it (changing nothing)
 * unless every region passes: the AMI exists, is available, was made by this pipeline, and all regions
 * hold copies of the same build. With workload accounts, the build account decides the build and each
 * workload account's channel follows it in every region, once every account passes too: its role was
 * assumed, the AMI is shared with it (or, for a copy account, its own copy of the build exists).
 */
public final class ReleasePlanner {
    /** A version written by a rollback (or a put-back) records the version whose AMI it holds again. */
    private static final Pattern HOLDS = Pattern.compile("holds version (\\d+)");

    private final ReleaseConfig config;
    private final ReleaseGateway gateway;
    private final WorkloadAccounts workloads;

    public ReleasePlanner(final ReleaseConfig config, final ReleaseGateway gateway) {
        this(config, gateway, WorkloadAccounts.none());
    }

    public ReleasePlanner(final ReleaseConfig config, final ReleaseGateway gateway, final WorkloadAccounts workloads) {
        this.config = config;
        this.gateway = gateway;
        this.workloads = workloads;
    }

    /** A workload account whose role cannot be assumed stops the release before anything is read or written. */
    private void requireReachable(final String summary) {
        if (!workloads.unreachable().isEmpty()) {
            throw ReleaseException.failed(summary + " refused, nothing changed: " + String.join("; ",
                    workloads.unreachable()) + "; every workload account needs the role (the workload baseline "
                    + "deploys it, docs/accounts.md)");
        }
    }

    /** {@code promote --to target --from source}; source is "latest" or another channel. */
    public ReleasePlan promote(final String target, final String source) {
        Channel to = config.channel(target);
        if (target.equals(source)) {
            throw ReleaseException.usage("cannot promote \"" + target + "\" to itself; --from takes latest or "
                    + "another channel");
        }
        String sourceName = ReleaseCli.LATEST.equals(source) ? config.latestSsmName() : config.channel(source).ssmName();
        String summary = "promote " + config.variant() + " " + target + " <- " + source;
        requireReachable(summary);
        List<String> problems = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        for (String region : config.activeRegions()) {
            Optional<String> ami = gateway.parameter(region, sourceName);
            if (ami.isEmpty()) {
                problems.add(region + ": " + sourceName + " does not exist (no " + source + " build there)");
                continue;
            }
            moves.add(new Move(region, ami.get(), 0, "release: promote from " + source));
        }
        ReleaseConfig.DriverGate gate = config.driverGate();
        if (gate.productionChannels().contains(target)) {
            String qualify = "; " + target + " is a production channel: qualify the driver with `npm run drivers -- "
                    + "qualify --variant " + config.variant() + "`";
            if (ReleaseConfig.DriverGate.UNQUALIFIED.equals(gate.pinnedSha256())) {
                throw ReleaseException.failed(summary + " refused, nothing changed: variant " + config.variant()
                        + " has no pinned GRID driver, so its images were built in record mode" + qualify);
            }
            return plan(summary, to, moves, problems, this::driverProblem, qualify);
        }
        return plan(summary, to, moves, problems);
    }

    /**
     * A production channel takes only an image whose GRID driver is the one a reviewer approved: its SHA-256, as
     * the build measured it and CI tagged it, equals the variant's pin.
     */
    private Optional<String> driverProblem(final String region, final Image image) {
        ReleaseConfig.DriverGate gate = config.driverGate();
        String measured = image.tags().get(gate.sha256TagKey());
        if (gate.pinnedSha256().equals(measured)) {
            return Optional.empty();
        }
        return Optional.of(region + ": " + image.id() + " has GRID driver SHA-256 " + (measured == null
                ? "(no " + gate.sha256TagKey() + " tag)" : measured) + ", not the pinned " + gate.pinnedSha256());
    }

    /** {@code rollback channel}: back to the AMI it held before its current one, in every region. */
    public ReleasePlan rollback(final String channelName) {
        Channel channel = config.channel(channelName);
        String summary = "rollback " + config.variant() + " " + channelName;
        requireReachable(summary);
        List<String> problems = new ArrayList<>();
        List<Move> moves = new ArrayList<>();
        for (String region : config.activeRegions()) {
            TreeMap<Long, Version> history = byVersion(gateway.history(region, channel.ssmName()));
            if (history.isEmpty()) {
                problems.add(region + ": " + channel.ssmName() + " does not exist (the channel was never promoted)");
                continue;
            }
            Version current = history.lastEntry().getValue();
            Optional<Version> before = releaseBefore(history, current);
            if (before.isEmpty()) {
                problems.add(region + ": no release before " + current.value() + " in the history of "
                        + channel.ssmName());
                continue;
            }
            long holds = effective(history, before.get().version());
            moves.add(new Move(region, before.get().value(), holds,
                    "release: rollback; holds version " + holds));
        }
        return plan(summary, channel, moves, problems);
    }

    /** One region's intended move, before its AMIs are looked up. */
    private record Move(String region, String amiId, long holdsVersion, String description) {
    }

    /** A check of the image a region would get, beyond the ones every promotion makes. */
    private interface ImageCheck {
        Optional<String> problem(String region, Image image);
    }

    private ReleasePlan plan(final String summary, final Channel channel, final List<Move> moves,
            final List<String> problems) {
        return plan(summary, channel, moves, problems, (region, image) -> Optional.empty(), "");
    }

    /** With an extra check of each region's image; {@code hint} ends the refusal when that check failed. */
    private ReleasePlan plan(final String summary, final Channel channel, final List<Move> moves,
            final List<String> problems, final ImageCheck extra, final String hint) {
        boolean extraFailed = false;
        List<RegionChange> changes = new ArrayList<>();
        List<TagChange> add = new ArrayList<>();
        List<TagChange> remove = new ArrayList<>();
        for (Move move : moves) {
            List<Version> history = gateway.history(move.region(), channel.ssmName());
            Set<String> ids = new LinkedHashSet<>(List.of(move.amiId()));
            history.forEach(version -> ids.add(version.value()));
            Map<String, Image> images = gateway.images(move.region(), ids);
            Image target = images.get(move.amiId());
            Optional<String> problem = check(move.region(), move.amiId(), target);
            if (problem.isEmpty()) {
                problem = extra.problem(move.region(), target);
                extraFailed |= problem.isPresent();
            }
            if (problem.isPresent()) {
                problems.add(problem.get());
                continue;
            }
            Optional<Version> current = history.isEmpty() ? Optional.empty()
                    : Optional.of(history.get(history.size() - 1));
            changes.add(new RegionChange(move.region(), current.map(version -> images.getOrDefault(version.value(),
                    missing(version.value()))), current.map(Version::version).orElse(0L), target, move.description()));
            retention(channel, move, history, images, add, remove);
        }
        List<AccountChange> accountChanges = accountChanges(channel, changes, problems);
        if (problems.isEmpty()) {
            Set<String> builds = new LinkedHashSet<>();
            changes.forEach(change -> builds.add(change.to().name()));
            if (builds.size() > 1) {
                problems.add("the regions hold different builds (" + String.join(", ", builds)
                        + "); every region must get the same one");
            }
        }
        if (!problems.isEmpty()) {
            throw ReleaseException.failed(summary + " refused, nothing changed: " + String.join("; ", problems)
                    + (extraFailed ? hint : ""));
        }
        return new ReleasePlan(summary, channel, changes, accountChanges, add, remove);
    }

    /**
     * Each workload account's copy of the channel, in every region the build account's changes: the same AMI
     * when it is shared with that account (its launch permissions, read in the build account, name the
     * account, its OU or the organization), or the account's own copy of the same build (same name).
     */
    private List<AccountChange> accountChanges(final Channel channel, final List<RegionChange> changes, final List<String> problems) {
        List<AccountChange> accountChanges = new ArrayList<>();
        for (WorkloadAccounts.Reader reader : workloads.readers()) {
            for (RegionChange change : changes) {
                String region = change.region();
                String where = reader.account() + " " + region + ": ";
                Image build = change.to();
                String target = build.id();
                if (reader.copies()) {
                    Optional<Image> copy = reader.gateway().ownImage(region, build.name());
                    if (copy.isEmpty() || !"available".equals(copy.get().state())) {
                        problems.add(where + (copy.isEmpty() ? "no copy of " + build.name() + " in the account "
                                + "(copyToAccounts: Image Builder copies each build there)" : copy.get().id() + " is "
                                + copy.get().state() + ", not available"));
                        continue;
                    }
                    target = copy.get().id();
                } else {
                    Set<String> permissions = gateway.launchPermissions(region, build.id());
                    if (!permissions.contains("Group:all") && reader.grants().stream().noneMatch(permissions::contains)) {
                        problems.add(where + build.id() + " is not shared with the account (its launch permissions: "
                                + (permissions.isEmpty() ? "none" : String.join(", ", permissions))
                                + "; the account needs one of: " + String.join(", ", reader.grants()) + ")");
                        continue;
                    }
                }
                List<Version> history = reader.gateway().history(region, channel.ssmName());
                Optional<Version> current = history.isEmpty() ? Optional.empty()
                        : Optional.of(history.get(history.size() - 1));
                accountChanges.add(new AccountChange(reader, region, current.map(Version::value),
                        current.map(Version::version).orElse(0L), target));
            }
        }
        return accountChanges;
    }

    private Optional<String> check(final String region, final String amiId, final Image image) {
        if (image == null) {
            return Optional.of(region + ": " + amiId + " does not exist");
        }
        if (!"available".equals(image.state())) {
            return Optional.of(region + ": " + amiId + " is " + image.state() + ", not available");
        }
        String madeBy = image.tags().get(config.madeByTagKey());
        if (!config.madeByTagValue().equals(madeBy)) {
            return Optional.of(region + ": " + amiId + " (" + image.name() + ") was not made by this pipeline (tag "
                    + config.madeByTagKey() + " is " + (madeBy == null ? "absent" : "\"" + madeBy + "\"")
                    + ", expected \"" + config.madeByTagValue() + "\")");
        }
        return Optional.empty();
    }

    /**
     * After the move, the AMI the channel holds, the AMIs of its last releaseHistoryKept promotions and the AMI
     * the next rollback would reach keep the held-by tag (a rollback is no promotion: it neither widens nor
     * shifts the window); the other AMIs of its history that still carry the tag lose it. The rollback target
     * is computed on the history as it will be, so a promotion after rollbacks, whose "release before" is the
     * AMI a rollback restored, never untags it.
     */
    private void retention(final Channel channel, final Move move, final List<Version> history,
            final Map<String, Image> images, final List<TagChange> add, final List<TagChange> remove) {
        List<String> promoted = new ArrayList<>();
        history.stream().filter(version -> !HOLDS.matcher(String.valueOf(version.description())).find())
                .forEach(version -> promoted.add(version.value()));
        if (!HOLDS.matcher(move.description()).find()) {
            promoted.add(move.amiId());
        }
        Set<String> held = new LinkedHashSet<>(promoted.subList(Math.max(0, promoted.size() - config.historyKept()),
                promoted.size()));
        held.add(move.amiId());
        nextRollbackTarget(history, move).ifPresent(held::add);
        for (String id : held) {
            Image image = images.get(id);
            if (image != null && !config.heldByTagValue().equals(image.tags().get(channel.heldByTagKey()))) {
                add.add(new TagChange(move.region(), image));
            }
        }
        Set<String> everHeld = new LinkedHashSet<>();
        history.forEach(version -> everHeld.add(version.value()));
        for (String id : everHeld) {
            Image image = images.get(id);
            if (!held.contains(id) && image != null && image.tags().containsKey(channel.heldByTagKey())) {
                remove.add(new TagChange(move.region(), image));
            }
        }
    }

    /** The AMI a rollback right after this move would restore: computed on the history with the move appended. */
    private static Optional<String> nextRollbackTarget(final List<Version> history, final Move move) {
        TreeMap<Long, Version> after = byVersion(history);
        long next = after.isEmpty() ? 1 : after.lastKey() + 1;
        Version moved = new Version(next, move.amiId(), move.description());
        after.put(next, moved);
        return releaseBefore(after, moved).map(Version::value);
    }

    private static Image missing(final String id) {
        return new Image(id, "(deregistered)", "missing", "", Map.of(), List.of());
    }

    private static TreeMap<Long, Version> byVersion(final List<Version> history) {
        TreeMap<Long, Version> map = new TreeMap<>();
        history.forEach(version -> map.put(version.version(), version));
        return map;
    }

    /** The version a version stands for: a rollback's "holds version N" points back to N. */
    private static long effective(final Map<Long, Version> history, final long version) {
        long at = version;
        for (int hops = 0; hops < history.size(); hops++) {
            Version found = history.get(at);
            Matcher holds = found == null ? null : HOLDS.matcher(String.valueOf(found.description()));
            if (holds == null || !holds.find() || Long.parseLong(holds.group(1)) >= at) {
                return at;
            }
            at = Long.parseLong(holds.group(1));
        }
        return at;
    }

    /** The newest version before the current release's own that holds a different AMI. */
    private static Optional<Version> releaseBefore(final Map<Long, Version> history, final Version current) {
        for (long at = effective(history, current.version()) - 1; at >= 1; at--) {
            Version version = history.get(at);
            if (version == null) {
                return Optional.empty();
            }
            if (!version.value().equals(current.value())) {
                return Optional.of(version);
            }
        }
        return Optional.empty();
    }
}
