package com.fractal.gpuhost.network;

import com.fractal.gpuhost.settings.SsmNames;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ssm.StringListParameter;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * Publishes the network's IDs as SSM parameters, read at deploy time by stacks that other people deploy
 * later (dev instances, the image pipeline). CloudFormation exports would lock this stack instead.
 */
public final class NetworkParameters extends Construct {
    public NetworkParameters(final Construct scope, final String id, final SsmNames names, final IVpc vpc,
            final HostSecurityGroups groups) {
        super(scope, id);
        StringParameter.Builder.create(this, "VpcId")
                .parameterName(names.vpcId())
                .description("ID of the VPC the GPU hosts run in")
                .stringValue(vpc.getVpcId())
                .build();
        StringListParameter.Builder.create(this, "PublicSubnetIds")
                .parameterName(names.publicSubnetIds())
                .description("IDs of the GPU hosts' public subnets, one per availability zone")
                .stringListValue(vpc.getPublicSubnets().stream().map(ISubnet::getSubnetId).toList())
                .build();
        groups.all().forEach((kind, group) -> StringParameter.Builder.create(this, kind.constructId() + "GroupId")
                .parameterName(names.securityGroupId(kind.key()))
                .description("ID of the " + kind.key() + " security group")
                .stringValue(group.getSecurityGroupId())
                .build());
    }
}
