package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.List;

/**
 * One ingress or egress rule of a security group.
 *
 * @param protocol "tcp", "udp", "icmp", "all" (-1) or the number CloudFormation holds
 * @param fromPort the first port (the ICMP type for ICMP), null when the rule covers every port
 * @param toPort the last port (the ICMP code for ICMP), null when the rule covers every port
 * @param peerKind the CloudFormation property naming the peer: CidrIp, CidrIpv6, SourceSecurityGroupId, ...
 * @param peer the CIDR, group or prefix list, rendered
 * @param definedBy "inline" for a rule in the group's own properties, else the logical ID of the
 *     AWS::EC2::SecurityGroupIngress/Egress resource
 */
public record SecurityGroupRule(Direction direction, String protocol, Integer fromPort, Integer toPort,
        String peerKind, String peer, String description, String definedBy) {
    private static final List<String> PEER_KINDS = List.of("CidrIp", "CidrIpv6", "SourceSecurityGroupId",
            "SourceSecurityGroupName", "SourcePrefixListId", "DestinationSecurityGroupId", "DestinationPrefixListId");

    /** Which way traffic flows. */
    public enum Direction {
        INGRESS, EGRESS;

        public String label() {
            return this == INGRESS ? "ingress" : "egress";
        }
    }

    static SecurityGroupRule read(final Direction direction, final JsonNode rule, final String definedBy,
            final StackTemplate stack) {
        String protocol = protocol(stack.render(rule.path("IpProtocol")));
        String kind = PEER_KINDS.stream().filter(name -> !rule.path(name).isMissingNode()).findFirst().orElse("");
        String peer = kind.isEmpty() ? "" : stack.render(rule.get(kind));
        if (kind.equals("SourceSecurityGroupId") && rule.has("SourceSecurityGroupOwnerId")) {
            peer += " (account " + stack.render(rule.get("SourceSecurityGroupOwnerId")) + ")";
        }
        Integer from = port(rule.path("FromPort"));
        Integer to = port(rule.path("ToPort"));
        boolean allPorts = protocol.equals("all") || (from != null && from == -1 && !protocol.equals("icmp"));
        return new SecurityGroupRule(direction, protocol, allPorts ? null : from, allPorts ? null : to, kind, peer,
                stack.render(rule.path("Description")), definedBy);
    }

    private static String protocol(final String raw) {
        return switch (raw.toLowerCase()) {
            case "-1", "all" -> "all";
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            case "58" -> "icmpv6";
            default -> raw.toLowerCase();
        };
    }

    private static Integer port(final JsonNode value) {
        if (value.isNumber()) {
            return value.asInt();
        }
        if (value.isTextual() && value.asText().matches("-?\\d+")) {
            return Integer.parseInt(value.asText());
        }
        return null;
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
