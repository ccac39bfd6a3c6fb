package com.fractal.gpuhost.settings;

import java.util.Optional;

/**
 * One engineer's dev instance.
 *
 * @param developer        lowercase DNS label naming the owner; part of the stack name
 * @param region           where the instance runs: one of the active regions
 * @param instanceType     a type of a family that {@code variant} serves
 * @param variant          the image variant whose image (or stock setup) the instance boots
 * @param keyPair          an existing EC2 key pair for SSH, when wanted (Session Manager needs none)
 * @param subnetIndex      which of the region's public subnets (0-based) to launch in
 * @param idleStopMinutes  stop the instance after this long at low CPU; 0 turns the alarm off
 * @param idleCpuPercent   average CPU below which the instance counts as idle
 * @param image            stock Ubuntu, the newest build or a release channel's AMI
 */
public record DevInstanceSettings(
        String developer,
        String region,
        String instanceType,
        ImageVariant variant,
        Optional<String> keyPair,
        int subnetIndex,
        int idleStopMinutes,
        int idleCpuPercent,
        DevImage image) {

    public boolean idleStopEnabled() {
        return idleStopMinutes > 0;
    }
}
