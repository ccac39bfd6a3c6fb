package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.List;
import java.util.Map;

/**
 * One ingress or egress rule of a security group.
 *
 * @param protocol "tcp", "udp", "icmp", "all" (-1) or the number CloudFormation holds
 * @param fromPort the first port (the ICMP type for ICMP), null when the rule covers every port
 * @param toPort the last port (the ICMP code for ICMP), null when the rule covers every port
 * @param peerKind the CloudFormation property naming the peer: CidrIp, CidrIpv6, SourceSecurityGroupId, ...
 * @param peer the CIDR, group or prefix list, rendered
 */
public record SecurityGroupRule(Direction direction, String protocol, Integer fromPort, Integer toPort,
        String peerKind, String peer, String description) {
    private static final List<String> PEER_KINDS = List.of("CidrIp", "CidrIpv6", "SourceSecurityGroupId",
            "SourceSecurityGroupName", "SourcePrefixListId", "DestinationSecurityGroupId", "DestinationPrefixListId");
    private static final Map<String, String> PROTOCOLS = Map.of("-1", "all", "6", "tcp", "17", "udp", "1", "icmp",
            "58", "icmpv6");

    public enum Direction { INGRESS, EGRESS }

    static SecurityGroupRule read(final Direction direction, final JsonNode rule, final StackTemplate stack) {
        String raw = stack.render(rule.path("IpProtocol")).toLowerCase();
        String protocol = PROTOCOLS.getOrDefault(raw, raw);
        String kind = PEER_KINDS.stream().filter(rule::has).findFirst().orElse("");
        String peer = kind.isEmpty() ? "" : stack.render(rule.get(kind)) + (kind.equals("SourceSecurityGroupId")
                && rule.has("SourceSecurityGroupOwnerId") ? " (account " + stack.render(rule.get(
                        "SourceSecurityGroupOwnerId")) + ")" : "");
        Integer from = port(rule.path("FromPort"));
        boolean allPorts = protocol.equals("all") || (from != null && from == -1 && !protocol.equals("icmp"));
        return new SecurityGroupRule(direction, protocol, allPorts ? null : from,
                allPorts ? null : port(rule.path("ToPort")), kind, peer, stack.render(rule.path("Description")));
    }

    /** A port as a number, or null when it is not a literal one. */
    private static Integer port(final JsonNode value) {
        return value.asText("").matches("-?\\d+") ? Integer.valueOf(value.asText()) : null;
    }

    /** "22", "32768-65535", or "all". */
    public String ports() {
        if (fromPort == null && toPort == null) {
            return "all";
        }
        if (protocol.startsWith("icmp")) {
            return "type " + fromPort + (toPort == null || toPort == -1 ? "" : " code " + toPort);
        }
        return fromPort.equals(toPort) || toPort == null ? String.valueOf(fromPort) : fromPort + "-" + toPort;
    }
}
