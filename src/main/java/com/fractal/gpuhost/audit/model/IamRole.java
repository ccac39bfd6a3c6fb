package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.AuditException;
import com.fractal.gpuhost.audit.StackTemplate;
import com.fractal.gpuhost.audit.StackTemplate.Resource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IAM role: who may assume it (its trust policy) and what it may do: its inline policies, the
 * AWS::IAM::Policy resources of the template attached to it, and the ARNs of AWS managed policies (their
 * contents are not in the assembly). A policy attached to a role from outside its template is refused, and so
 * is an assembly with AWS::IAM::ManagedPolicy resources: no stack of the project makes either.
 */
public record IamRole(String stack, String logicalId, String roleName, String description,
        List<PolicyStatement> trust, List<String> managedPolicyArns, List<PolicyStatement> permissions,
        String maxSessionDuration, String permissionsBoundary) {

    public static List<IamRole> read(final StackTemplate stack) {
        Map<String, IamRole> roles = new LinkedHashMap<>();
        for (Resource resource : stack.resources("AWS::IAM::Role")) {
            JsonNode p = resource.properties();
            IamRole role = new IamRole(stack.name(), resource.logicalId(), stack.render(p.path("RoleName")),
                    stack.render(p.path("Description")), PolicyStatement.read(p.path("AssumeRolePolicyDocument"),
                            "trust policy", resource.logicalId(), stack),
                    PolicyStatement.values(p.path("ManagedPolicyArns"), stack), new ArrayList<>(),
                    stack.render(p.path("MaxSessionDuration")), stack.render(p.path("PermissionsBoundary")));
            for (JsonNode inline : p.path("Policies")) {
                role.permissions.addAll(PolicyStatement.read(inline.path("PolicyDocument"),
                        "inline policy " + stack.render(inline.path("PolicyName")), resource.logicalId(), stack));
            }
            roles.put(resource.logicalId(), role);
        }
        for (Resource policy : stack.resources("AWS::IAM::Policy")) {
            for (JsonNode roleValue : policy.properties().path("Roles")) {
                IamRole role = roles.get(StackTemplate.referencedId(roleValue));
                if (role == null) {
                    throw new AuditException("stack " + stack.name() + ": policy " + policy.logicalId()
                            + " is attached to " + stack.render(roleValue) + ", a role from outside the template, "
                            + "which the report does not read");
                }
                role.permissions.addAll(PolicyStatement.read(policy.properties().path("PolicyDocument"),
                        "policy " + policy.logicalId(), policy.logicalId(), stack));
            }
        }
        return roles.values().stream().map(r -> new IamRole(r.stack, r.logicalId, r.roleName, r.description, r.trust,
                r.managedPolicyArns, List.copyOf(r.permissions), r.maxSessionDuration, r.permissionsBoundary)).toList();
    }
}
