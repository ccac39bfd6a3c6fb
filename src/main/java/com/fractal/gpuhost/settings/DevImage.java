package com.fractal.gpuhost.settings;

import java.util.Optional;

/**
 * What a dev instance boots from: stock Ubuntu (set up at first boot), the newest build, or the AMI a
 * release channel holds.
 *
 * @param channel the release channel, when the image is a channel's
 * @param latest  the newest build, as Image Builder published it
 */
public record DevImage(Optional<String> channel, boolean latest) {
    public static final String STOCK = "stock";

    public static DevImage stock() {
        return new DevImage(Optional.empty(), false);
    }

    public static DevImage newestBuild() {
        return new DevImage(Optional.empty(), true);
    }

    public static DevImage ofChannel(final String channel) {
        return new DevImage(Optional.of(channel), false);
    }

    /** A published host image already holds the host setup. */
    public boolean published() {
        return latest || channel.isPresent();
    }
}
