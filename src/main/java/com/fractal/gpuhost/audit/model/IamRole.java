package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import com.fractal.gpuhost.audit.StackTemplate.Resource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An IAM role: who may assume it (its trust policy) and what it may do: its inline policies, the
 * AWS::IAM::Policy and AWS::IAM::ManagedPolicy resources of the template attached to it, and the ARNs of
 * managed policies from outside the template (their contents are not in the assembly). A policy of the
 * template attached to a role from outside it is listed under that role's name.
 */
public record IamRole(String stack, String logicalId, String roleName, String description,
        List<PolicyStatement> trust, List<String> managedPolicyArns, List<PolicyStatement> permissions,
        String maxSessionDuration, String permissionsBoundary) {

    public static List<IamRole> read(final StackTemplate stack) {
        Map<String, IamRole> roles = new LinkedHashMap<>();
        Set<String> attached = new HashSet<>();
        for (Resource resource : stack.resources("AWS::IAM::Role")) {
            JsonNode p = resource.properties();
            IamRole role = new IamRole(stack.name(), resource.logicalId(), stack.render(p.path("RoleName")),
                    stack.render(p.path("Description")), PolicyStatement.read(p.path("AssumeRolePolicyDocument"),
                            "trust policy", resource.logicalId(), stack),
                    new ArrayList<>(), new ArrayList<>(), stack.render(p.path("MaxSessionDuration")),
                    stack.render(p.path("PermissionsBoundary")));
            for (JsonNode inline : p.path("Policies")) {
                role.permissions.addAll(PolicyStatement.read(inline.path("PolicyDocument"),
                        "inline policy " + stack.render(inline.path("PolicyName")), resource.logicalId(), stack));
            }
            for (JsonNode arn : p.path("ManagedPolicyArns")) {
                JsonNode policy = stack.resource(arn);
                String id = StackTemplate.referencedId(arn);
                if (policy != null && policy.path("Type").asText().equals("AWS::IAM::ManagedPolicy")) {
                    attached.add(role.logicalId + " " + id);
                    role.permissions.addAll(PolicyStatement.read(policy.path("Properties").path("PolicyDocument"),
                            "managed policy " + id + " (this template)", id, stack));
                } else {
                    role.managedPolicyArns.add(stack.render(arn));
                }
            }
            roles.put(resource.logicalId(), role);
        }
        attach(stack, roles, attached, "AWS::IAM::Policy", "policy ");
        attach(stack, roles, attached, "AWS::IAM::ManagedPolicy", "managed policy ");
        return roles.values().stream().map(r -> new IamRole(r.stack, r.logicalId, r.roleName, r.description,
                List.copyOf(r.trust), List.copyOf(r.managedPolicyArns), List.copyOf(r.permissions), r.maxSessionDuration,
                r.permissionsBoundary)).toList();
    }

    /** The statements of the policies that name their roles, each added once to each role. */
    private static void attach(final StackTemplate stack, final Map<String, IamRole> roles, final Set<String> attached,
            final String type, final String label) {
        for (Resource policy : stack.resources(type)) {
            for (JsonNode roleValue : policy.properties().path("Roles")) {
                String id = StackTemplate.referencedId(roleValue);
                IamRole role = id != null && roles.containsKey(id) ? roles.get(id) : byName(stack, roles,
                        stack.render(roleValue));
                if (attached.add(role.logicalId + " " + policy.logicalId())) {
                    role.permissions.addAll(PolicyStatement.read(policy.properties().path("PolicyDocument"),
                            label + policy.logicalId(), policy.logicalId(), stack));
                }
            }
        }
    }

    private static IamRole byName(final StackTemplate stack, final Map<String, IamRole> roles, final String name) {
        return roles.values().stream().filter(role -> role.roleName.equals(name)).findFirst()
                .orElseGet(() -> roles.computeIfAbsent(name, key -> new IamRole(stack.name(), key, key,
                        "(a role from outside this template)", List.of(), new ArrayList<>(), new ArrayList<>(), "", "")));
    }
}
