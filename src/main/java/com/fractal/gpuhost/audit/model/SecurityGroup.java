package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import com.fractal.gpuhost.audit.StackTemplate.Resource;
import com.fractal.gpuhost.audit.model.SecurityGroupRule.Direction;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A security group with every rule that applies to it: those in its own SecurityGroupIngress/Egress and those
 * of separate AWS::EC2::SecurityGroupIngress/Egress resources. A separate rule on a group the template does
 * not create is listed under that group's ID.
 *
 * @param logicalId the group's logical ID, or the rendered GroupId of a group from outside the template
 */
public record SecurityGroup(String stack, String logicalId, String name, String description, String vpc,
        List<SecurityGroupRule> rules) {

    public static List<SecurityGroup> read(final StackTemplate stack) {
        Map<String, SecurityGroup> groups = new LinkedHashMap<>();
        for (Resource resource : stack.resources("AWS::EC2::SecurityGroup")) {
            JsonNode p = resource.properties();
            SecurityGroup group = new SecurityGroup(stack.name(), resource.logicalId(),
                    stack.render(p.path("GroupName")), stack.render(p.path("GroupDescription")),
                    stack.render(p.path("VpcId")), new ArrayList<>());
            p.path("SecurityGroupIngress").forEach(rule ->
                    group.rules.add(SecurityGroupRule.read(Direction.INGRESS, rule, "inline", stack)));
            p.path("SecurityGroupEgress").forEach(rule ->
                    group.rules.add(SecurityGroupRule.read(Direction.EGRESS, rule, "inline", stack)));
            groups.put(resource.logicalId(), group);
        }
        for (Resource resource : stack.resources()) {
            Direction direction = switch (resource.type()) {
                case "AWS::EC2::SecurityGroupIngress" -> Direction.INGRESS;
                case "AWS::EC2::SecurityGroupEgress" -> Direction.EGRESS;
                default -> null;
            };
            if (direction != null) {
                JsonNode groupId = resource.properties().path("GroupId");
                String target = StackTemplate.referencedId(groupId);
                SecurityGroup group = target != null && groups.containsKey(target) ? groups.get(target)
                        : groups.computeIfAbsent(stack.render(groupId), id -> new SecurityGroup(stack.name(), id, "",
                                "(a group from outside this template)", "", new ArrayList<>()));
                group.rules.add(SecurityGroupRule.read(direction, resource.properties(), resource.logicalId(), stack));
            }
        }
        return groups.values().stream().map(g -> new SecurityGroup(g.stack, g.logicalId, g.name, g.description,
                g.vpc, List.copyOf(g.rules))).toList();
    }
}
