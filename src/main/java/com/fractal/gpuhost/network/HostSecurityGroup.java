package com.fractal.gpuhost.network;

import com.fractal.gpuhost.ConstructIds;
import com.fractal.gpuhost.settings.PortRange;
import com.fractal.gpuhost.settings.ResourceNames;
import java.util.Optional;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;

/**
 * The security groups around GPU hosts, each with everything that is said about it: its key (in SSM names
 * and construct IDs), its group name, its description and its ingress rules. Streaming clients connect from
 * anywhere, so the streaming ports are open to the internet; SSH never is (Session Manager gives shells).
 */
public enum HostSecurityGroup {
    /** Engineers' dev instances; the name is the one engineers know from the hand-run setup. */
    CONTAINER_TESTING("container-testing", true) {
        @Override
        public String groupName(final ResourceNames names) {
            return key();
        }

        @Override
        String description(final Rules rules) {
            return "Engineer dev instances: streaming ports and ECS host ports from anywhere"
                    + rules.sshCidr().map(cidr -> "; SSH from " + cidr).orElse("");
        }

        @Override
        void addRules(final SecurityGroup group, final Rules rules) {
            addStreamingPorts(group);
            addDynamicHostPorts(group, rules.dynamicHostPorts());
            rules.sshCidr().ifPresent(cidr -> group.addIngressRule(Peer.ipv4(cidr), Port.tcp(StreamingPorts.SSH),
                    "SSH from the configured sshCidr only"));
        }
    },
    PRODUCTION_HOSTS("production-hosts", true) {
        @Override
        String description(final Rules rules) {
            return "Production GPU hosts: streaming traffic on the ECS dynamic host-port range from anywhere, no SSH";
        }

        @Override
        void addRules(final SecurityGroup group, final Rules rules) {
            addDynamicHostPorts(group, rules.dynamicHostPorts());
        }
    },
    IMAGE_BUILDER("image-builder", false) {
        @Override
        String description(final Rules rules) {
            return "EC2 Image Builder build and test instances: no ingress, outbound only";
        }

        @Override
        void addRules(final SecurityGroup group, final Rules rules) {
            // Build and test instances take no connections: AWSTOE runs through the SSM agent.
        }
    };

    /** What the rules depend on. */
    public record Rules(PortRange dynamicHostPorts, Optional<String> sshCidr) {
    }

    private final String key;
    private final boolean openToClients;

    HostSecurityGroup(final String key, final boolean openToClients) {
        this.key = key;
        this.openToClients = openToClients;
    }

    /** The kebab-case key in SSM parameter names, e.g. container-testing. */
    public String key() {
        return key;
    }

    /** The construct ID, from the key: ContainerTesting. */
    public String constructId() {
        return ConstructIds.pascalCase(key);
    }

    /** The group's name in EC2: the project prefix and the key, unless a group is known by another name. */
    public String groupName(final ResourceNames names) {
        return names.prefixed(key);
    }

    /** True when streaming clients anywhere on the internet may connect (cdk-nag's EC23, by design). */
    public boolean openToClients() {
        return openToClients;
    }

    abstract String description(Rules rules);

    abstract void addRules(SecurityGroup group, Rules rules);

    private static void addStreamingPorts(final SecurityGroup group) {
        group.addIngressRule(Peer.anyIpv4(), Port.tcp(StreamingPorts.TCP_CONTROL),
                "Streaming protocol TCP " + StreamingPorts.TCP_CONTROL + " from clients anywhere");
        group.addIngressRule(Peer.anyIpv4(), Port.udp(StreamingPorts.UDP_MEDIA),
                "Streaming protocol UDP " + StreamingPorts.UDP_MEDIA + " from clients anywhere");
        group.addIngressRule(Peer.anyIpv4(), Port.tcp(StreamingPorts.TCP_AUXILIARY),
                "Streaming protocol TCP " + StreamingPorts.TCP_AUXILIARY + " from clients anywhere");
    }

    private static void addDynamicHostPorts(final SecurityGroup group, final PortRange ports) {
        group.addIngressRule(Peer.anyIpv4(), Port.tcpRange(ports.from(), ports.to()),
                "ECS dynamic host ports " + ports + " TCP (mapped streaming ports) from clients anywhere");
        group.addIngressRule(Peer.anyIpv4(), Port.udpRange(ports.from(), ports.to()),
                "ECS dynamic host ports " + ports + " UDP (mapped streaming ports) from clients anywhere");
    }
}
