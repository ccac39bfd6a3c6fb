package com.fractal.gpuhost.settings;

import java.util.List;

/** A VPC that already exists in a region, used instead of creating one. Subnets are public, one per AZ. */
public record ExistingVpc(String vpcId, List<String> publicSubnetIds, List<String> availabilityZones) {
    public ExistingVpc {
        publicSubnetIds = List.copyOf(publicSubnetIds);
        availabilityZones = List.copyOf(availabilityZones);
    }
}
