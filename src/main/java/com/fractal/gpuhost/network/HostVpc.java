package com.fractal.gpuhost.network;

import com.fractal.gpuhost.settings.ExistingVpc;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The VPC the GPU hosts live in: an existing one when the settings name it, otherwise a new one with
 * public subnets in two AZs (hosts take streaming traffic straight from the internet), no NAT gateway
 * (nothing is private, so it would only cost money) and flow logs kept for a year.
 */
public final class HostVpc extends Construct {
    private static final String CIDR = "10.20.0.0/16";
    private static final int AZ_COUNT = 2;
    private static final int SUBNET_MASK = 20;

    private final IVpc vpc;

    public HostVpc(final Construct scope, final String id, final Optional<ExistingVpc> existing) {
        super(scope, id);
        this.vpc = existing.map(this::importVpc).orElseGet(this::createVpc);
    }

    public IVpc vpc() {
        return vpc;
    }

    private IVpc importVpc(final ExistingVpc existing) {
        return Vpc.fromVpcAttributes(this, "Existing", VpcAttributes.builder()
                .vpcId(existing.vpcId())
                .availabilityZones(existing.availabilityZones())
                .publicSubnetIds(existing.publicSubnetIds())
                .build());
    }

    private IVpc createVpc() {
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .retention(RetentionDays.ONE_YEAR)
                .build();
        return Vpc.Builder.create(this, "Vpc")
                .ipAddresses(IpAddresses.cidr(CIDR))
                .maxAzs(AZ_COUNT)
                .natGateways(0)
                .subnetConfiguration(List.of(SubnetConfiguration.builder()
                        .name("Public")
                        .subnetType(SubnetType.PUBLIC)
                        .cidrMask(SUBNET_MASK)
                        .build()))
                .flowLogs(Map.of("All", FlowLogOptions.builder()
                        .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
                        .trafficType(FlowLogTrafficType.ALL)
                        .build()))
                .build();
    }
}
