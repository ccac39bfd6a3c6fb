package com.fractal.gpuhost.release;

import com.fractal.gpuhost.release.ReleaseGateway.Image;
import java.util.List;
import java.util.Optional;

/**
 * Everything a promotion or rollback will change, computed and checked in every region before any write.
 *
 * @param summary  what the release does, e.g. "promote stable <- candidate"
 * @param channel  the channel that moves
 * @param changes  one per active region, the build region first
 * @param accountChanges one per workload account and active region (none without sharing settings)
 * @param tagsToAdd    AMIs (with their snapshots) that get the channel's held-by tag
 * @param tagsToRemove AMIs that fall out of the last releaseHistoryKept promotions and lose it
 */
public record ReleasePlan(String summary, ReleaseConfig.Channel channel, List<RegionChange> changes,
        List<AccountChange> accountChanges, List<TagChange> tagsToAdd, List<TagChange> tagsToRemove) {

    /**
     * One region's move.
     *
     * @param from        the AMI the channel holds now, if any
     * @param fromVersion the parameter version holding it (0 when the channel has none)
     * @param to          the AMI it will hold
     * @param description the new version's description (a rollback records which version it holds again)
     */
    public record RegionChange(String region, Optional<Image> from, long fromVersion, Image to, String description) {
        public boolean moves() {
            return from.map(image -> !image.id().equals(to.id())).orElse(true);
        }
    }

    /**
     * One workload account's copy of the channel in one region: it follows the build account's, with the
     * shared AMI's ID or, for a copy account, the ID of its own copy of the same build.
     *
     * @param reader      the account and the gateway that acts there
     * @param from        the AMI ID its parameter holds now, if the parameter exists
     * @param fromVersion the parameter version holding it (0 when there is none)
     * @param to          the AMI ID it will hold
     */
    public record AccountChange(WorkloadAccounts.Reader reader, String region, Optional<String> from,
            long fromVersion, String to) {
        public boolean moves() {
            return from.map(id -> !id.equals(to)).orElse(true);
        }

        /** Where, in messages: the account and the region. */
        public String where() {
            return reader.account() + " " + region;
        }
    }

    /** An AMI and its snapshots in one region. */
    public record TagChange(String region, Image image) {
        public List<String> resourceIds() {
            return java.util.stream.Stream.concat(java.util.stream.Stream.of(image.id()), image.snapshotIds().stream())
                    .toList();
        }
    }

    public ReleasePlan {
        changes = List.copyOf(changes);
        accountChanges = List.copyOf(accountChanges);
        tagsToAdd = List.copyOf(tagsToAdd);
        tagsToRemove = List.copyOf(tagsToRemove);
    }

    public boolean changesAnything() {
        return changes.stream().anyMatch(RegionChange::moves) || accountChanges.stream().anyMatch(AccountChange::moves)
                || !tagsToAdd.isEmpty() || !tagsToRemove.isEmpty();
    }

    /** The build's AMI name: the same in every region (checked by the planner). */
    public String buildName() {
        return changes.get(0).to().name();
    }
}
