package com.fractal.gpuhost.network;

import com.fractal.gpuhost.ProjectKeys;
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.settings.ExistingVpc;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.CfnSubnet;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * The VPC the GPU hosts live in: an existing one when the settings name it, otherwise a new one with
 * public subnets in two AZs (hosts take streaming traffic straight from the internet), no NAT gateway
 * (nothing is private, so it would only cost money) and flow logs kept for a year, encrypted with a key of
 * their own.
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

    /** CloudWatch Logs encrypts with a customer-managed key only when the key policy lets its regional service use it. */
    private Key flowLogsKey() {
        Stack stack = Stack.of(this);
        Key key = ProjectKeys.create(this, "FlowLogsKey", "Encrypts the GPU host VPC's flow logs");
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchLogsEncryptsThisRegionsLogGroups")
                .principals(List.of(new ServicePrincipal("logs." + stack.getRegion() + ".amazonaws.com")))
                .actions(List.of("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                        "kms:Describe*"))
                .resources(List.of("*"))
                .conditions(Map.of("ArnLike", Map.of("kms:EncryptionContext:aws:logs:arn", "arn:"
                        + stack.getPartition() + ":logs:" + stack.getRegion() + ":" + stack.getAccount()
                        + ":log-group:*")))
                .build());
        return key;
    }

    private IVpc createVpc() {
        LogGroup flowLogs = LogGroup.Builder.create(this, "FlowLogs")
                .retention(RetentionDays.ONE_YEAR)
                .encryptionKey(flowLogsKey())
                .build();
        Vpc created = Vpc.Builder.create(this, "Vpc")
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
        created.getPublicSubnets().forEach(subnet -> subnet.getNode().getChildren().stream()
                .filter(CfnSubnet.class::isInstance).forEach(AcceptedRisk.PUBLIC_SUBNETS_FOR_STREAMING::acceptOn));
        return created;
    }
}
