package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import com.fractal.gpuhost.audit.model.SecurityGroupRule.Direction;
import java.util.ArrayList;
import java.util.List;

/**
 * A security group with its rules: those in its own SecurityGroupIngress/Egress, where the project's stacks put
 * every rule (an assembly with separate AWS::EC2::SecurityGroupIngress/Egress resources is refused).
 */
public record SecurityGroup(String stack, String logicalId, String name, String description, String vpc,
        List<SecurityGroupRule> rules) {

    public static List<SecurityGroup> read(final StackTemplate stack) {
        return stack.resources("AWS::EC2::SecurityGroup").stream().map(resource -> {
            JsonNode p = resource.properties();
            List<SecurityGroupRule> rules = new ArrayList<>();
            p.path("SecurityGroupIngress").forEach(r -> rules.add(SecurityGroupRule.read(Direction.INGRESS, r, stack)));
            p.path("SecurityGroupEgress").forEach(r -> rules.add(SecurityGroupRule.read(Direction.EGRESS, r, stack)));
            return new SecurityGroup(stack.name(), resource.logicalId(), stack.render(p.path("GroupName")),
                    stack.render(p.path("GroupDescription")), stack.render(p.path("VpcId")), List.copyOf(rules));
        }).toList();
    }
}
