package com.fractal.gpuhost.network;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.settings.Settings;
import java.util.List;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** One region's network for GPU hosts: the VPC, the security groups, and their IDs in SSM. */
public final class NetworkStack extends Stack {
    private final HostSecurityGroups groups;

    public NetworkStack(final Construct scope, final StackProps props, final Settings settings) {
        super(scope, settings.names().networkStack(props.getEnv().getRegion()), props);
        String region = props.getEnv().getRegion();
        ProjectTags.apply(this, settings.names(), "network");

        groups = HostNetwork.addTo(this, settings, settings.existingVpc(region));
    }

    public HostSecurityGroups groups() {
        return groups;
    }

    /**
     * The two AZs as CloudFormation resolves them at deploy time, whether or not an account is known, so
     * synthesis never looks anything up and gives the same template with and without credentials.
     */
    @Override
    public List<String> getAvailabilityZones() {
        return List.of(Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs()));
    }
}
