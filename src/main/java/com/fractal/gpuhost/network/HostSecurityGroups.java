package com.fractal.gpuhost.network;

import com.fractal.gpuhost.settings.PortRange;
import java.util.Optional;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.constructs.Construct;

/**
 * The three security groups around GPU hosts. Streaming clients connect from anywhere, so the streaming
 * ports are open to the internet; SSH never is (Session Manager gives shell access).
 */
public final class HostSecurityGroups extends Construct {
    /** Keys naming each group in SSM parameter names. */
    public static final String CONTAINER_TESTING = "container-testing";
    public static final String PRODUCTION_HOSTS = "production-hosts";
    public static final String IMAGE_BUILDER = "image-builder";

    private final SecurityGroup containerTesting;
    private final SecurityGroup productionHosts;
    private final SecurityGroup imageBuilder;

    /** What the groups need to know. */
    public record Props(IVpc vpc, PortRange dynamicHostPorts, Optional<String> sshCidr) {
    }

    public HostSecurityGroups(final Construct scope, final String id, final Props props) {
        super(scope, id);
        containerTesting = group("ContainerTesting", props.vpc(), "container-testing",
                "Engineer dev instances: streaming ports and ECS host ports from anywhere"
                        + props.sshCidr().map(cidr -> "; SSH from " + cidr).orElse(""));
        addStreamingPorts(containerTesting);
        addDynamicHostPorts(containerTesting, props.dynamicHostPorts());
        props.sshCidr().ifPresent(cidr -> containerTesting.addIngressRule(Peer.ipv4(cidr),
                Port.tcp(StreamingPorts.SSH), "SSH from the configured sshCidr only"));

        productionHosts = group("ProductionHosts", props.vpc(), "fractal-production-hosts",
                "Production GPU hosts: streaming traffic on the ECS dynamic host-port range from anywhere, no SSH");
        addDynamicHostPorts(productionHosts, props.dynamicHostPorts());

        imageBuilder = group("ImageBuilder", props.vpc(), "fractal-image-builder",
                "EC2 Image Builder build and test instances: no ingress, outbound only");
    }

    public SecurityGroup containerTesting() {
        return containerTesting;
    }

    public SecurityGroup productionHosts() {
        return productionHosts;
    }

    public SecurityGroup imageBuilder() {
        return imageBuilder;
    }

    private SecurityGroup group(final String id, final IVpc vpc, final String name, final String description) {
        return SecurityGroup.Builder.create(this, id)
                .vpc(vpc)
                .securityGroupName(name)
                .description(description)
                .allowAllOutbound(true)
                .build();
    }

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
