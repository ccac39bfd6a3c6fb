package com.fractal.gpuhost.network;

import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.settings.ExistingVpc;
import com.fractal.gpuhost.settings.Settings;
import java.util.Optional;
import software.amazon.awscdk.Stack;

/**
 * The GPU hosts' network, built straight into a stack: the VPC, the security groups and their IDs in SSM. The
 * build account's per-region {@link NetworkStack} and the workload accounts' environment-agnostic baseline are
 * both made by this one method, so the two cannot drift apart; the construct IDs sit at the stack's top level,
 * where they always were, so logical IDs do not change.
 */
public final class HostNetwork {
    private HostNetwork() {
    }

    /** Adds the network to the stack; an existing VPC is used instead of a new one when given. */
    public static HostSecurityGroups addTo(final Stack stack, final Settings settings,
            final Optional<ExistingVpc> existing) {
        HostVpc hostVpc = new HostVpc(stack, "HostVpc", existing);
        HostSecurityGroups groups = new HostSecurityGroups(stack, "SecurityGroups", new HostSecurityGroups.Props(
                hostVpc.vpc(), settings.names(), new HostSecurityGroup.Rules(settings.dynamicHostPorts(),
                        settings.sshCidr())));
        new NetworkParameters(stack, "Parameters", settings.ssmNames(), hostVpc.vpc(), groups);
        groups.all().entrySet().stream().filter(entry -> entry.getKey().openToClients())
                .forEach(entry -> AcceptedRisk.STREAMING_PORTS_OPEN_TO_CLIENTS.acceptOn(entry.getValue()));
        return groups;
    }
}
