package com.fractal.gpuhost.settings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Release channels of the host image: each channel holds one AMI per active region in an SSM parameter
 * whose history is the channel's release log.
 *
 * @param channels       channel names, e.g. candidate then stable (promotion order is up to the caller)
 * @param historyKept    how many of a channel's latest promotions keep their AMIs safe from retention
 * @param production     the channels production reads: a promotion into one needs a qualified GRID driver
 */
public record ReleaseSettings(List<String> channels, int historyKept, List<String> production) {
    /** The source of a promotion that is not a channel: the newest build, as Image Builder published it. */
    public static final String LATEST = "latest";
    /** AMI tag key prefix: {@code <prefix><channel>} marks an AMI a channel holds or recently held. */
    public static final String HELD_BY_TAG_PREFIX = ResourceNames.tagKey("held-by:");
    /** The value of every held-by tag; the lifecycle policy's exclusion rule matches key and value. */
    public static final String HELD_BY_TAG_VALUE = "true";
    /** AMI tag that this project's image pipeline puts on every AMI it distributes. */
    public static final String MADE_BY_TAG_KEY = ResourceNames.tagKey("image-pipeline");
    /** AMI tag that CI writes from the version manifest after a build: the SHA-256 of the GRID runfile installed. */
    public static final String DRIVER_SHA256_TAG_KEY = "nvidia-grid-driver-sha256";

    public ReleaseSettings {
        channels = List.copyOf(channels);
        production = List.copyOf(production);
    }

    public String heldByTagKey(final String channel) {
        return HELD_BY_TAG_PREFIX + channel;
    }

    /** Every channel's held-by tag, as the lifecycle policy's exclusion rule lists them. */
    public Map<String, String> heldByTags() {
        Map<String, String> tags = new LinkedHashMap<>();
        channels.forEach(channel -> tags.put(heldByTagKey(channel), HELD_BY_TAG_VALUE));
        return tags;
    }
}
