package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
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
public record IamRole(String stack, String logicalId, String path, String roleName, String description,
        List<PolicyStatement> trust, List<String> managedPolicyArns, List<PolicyStatement> permissions,
        String maxSessionDuration, String permissionsBoundary) {

    public String label() {
        return roleName.isEmpty() ? logicalId : roleName;
    }

    public static List<IamRole> read(final StackTemplate stack) {
        Map<String, Builder> roles = new LinkedHashMap<>();
        Map<String, StackTemplate.Resource> managedPolicies = new LinkedHashMap<>();
        stack.resources("AWS::IAM::ManagedPolicy").forEach(policy -> managedPolicies.put(policy.logicalId(), policy));
        for (StackTemplate.Resource resource : stack.resources("AWS::IAM::Role")) {
            JsonNode p = resource.properties();
            Builder role = new Builder(resource.logicalId(), resource.path(), stack.render(p.path("RoleName")),
                    stack.render(p.path("Description")));
            role.trust.addAll(PolicyStatement.read(p.path("AssumeRolePolicyDocument"), "trust policy", resource.logicalId(), stack));
            role.maxSession = stack.render(p.path("MaxSessionDuration"));
            role.boundary = stack.render(p.path("PermissionsBoundary"));
            for (JsonNode inline : p.path("Policies")) {
                role.permissions.addAll(PolicyStatement.read(inline.path("PolicyDocument"),
                        "inline policy " + stack.render(inline.path("PolicyName")), resource.logicalId(), stack));
            }
            for (JsonNode arn : p.path("ManagedPolicyArns")) {
                String id = StackTemplate.referencedId(arn);
                if (id != null && managedPolicies.containsKey(id)) {
                    role.attachedPolicies.add(id);
                    role.permissions.addAll(PolicyStatement.read(
                            managedPolicies.get(id).properties().path("PolicyDocument"),
                            "managed policy " + id + " (this template)", id, stack));
                } else {
                    role.managedPolicyArns.add(stack.render(arn));
                }
            }
            roles.put(resource.logicalId(), role);
        }
        attach(stack, roles, "AWS::IAM::Policy", "policy ");
        attach(stack, roles, "AWS::IAM::ManagedPolicy", "managed policy ");
        List<IamRole> result = new ArrayList<>();
        roles.values().forEach(role -> result.add(new IamRole(stack.name(), role.logicalId, role.path, role.roleName,
                role.description, List.copyOf(role.trust), List.copyOf(role.managedPolicyArns),
                List.copyOf(role.permissions), role.maxSession, role.boundary)));
        return result;
    }

    private static void attach(final StackTemplate stack, final Map<String, Builder> roles, final String type,
            final String label) {
        for (StackTemplate.Resource policy : stack.resources(type)) {
            for (JsonNode roleValue : policy.properties().path("Roles")) {
                String id = StackTemplate.referencedId(roleValue);
                Builder role = id != null && roles.containsKey(id) ? roles.get(id) : byName(roles, stack.render(roleValue));
                if (!role.attachedPolicies.add(policy.logicalId())) {
                    continue;
                }
                role.permissions.addAll(PolicyStatement.read(policy.properties().path("PolicyDocument"),
                        label + policy.logicalId(), policy.logicalId(), stack));
            }
        }
    }

    private static Builder byName(final Map<String, Builder> roles, final String name) {
        return roles.values().stream().filter(role -> role.roleName.equals(name)).findFirst()
                .orElseGet(() -> roles.computeIfAbsent(name,
                        key -> new Builder(key, key, key, "(a role from outside this template)")));
    }

    private static final class Builder {
        private final String logicalId;
        private final String path;
        private final String roleName;
        private final String description;
        private final List<PolicyStatement> trust = new ArrayList<>();
        private final List<String> managedPolicyArns = new ArrayList<>();
        private final List<PolicyStatement> permissions = new ArrayList<>();
        private final Set<String> attachedPolicies = new HashSet<>();
        private String maxSession = "";
        private String boundary = "";

        Builder(final String logicalId, final String path, final String roleName, final String description) {
            this.logicalId = logicalId;
            this.path = path;
            this.roleName = roleName;
            this.description = description;
        }
    }
}
