package com.fractal.gpuhost.network;

import com.fractal.gpuhost.settings.ResourceNames;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.constructs.Construct;

/** One EC2 security group for each {@link HostSecurityGroup}, in the VPC, with all outbound traffic allowed. */
public final class HostSecurityGroups extends Construct {
    private final Map<HostSecurityGroup, SecurityGroup> groups = new EnumMap<>(HostSecurityGroup.class);

    /** What the groups need to know. */
    public record Props(IVpc vpc, ResourceNames names, HostSecurityGroup.Rules rules) {
    }

    public HostSecurityGroups(final Construct scope, final String id, final Props props) {
        super(scope, id);
        for (HostSecurityGroup kind : HostSecurityGroup.values()) {
            SecurityGroup group = SecurityGroup.Builder.create(this, kind.constructId())
                    .vpc(props.vpc())
                    .securityGroupName(kind.groupName(props.names()))
                    .description(kind.description(props.rules()))
                    .allowAllOutbound(true)
                    .build();
            kind.addRules(group, props.rules());
            groups.put(kind, group);
        }
    }

    public SecurityGroup group(final HostSecurityGroup kind) {
        return groups.get(kind);
    }

    /** Every group, in declaration order. */
    public Map<HostSecurityGroup, SecurityGroup> all() {
        return Collections.unmodifiableMap(groups);
    }
}
