package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where an Image Builder distribution configuration copies each AMI: one region, the AMI's name pattern, the
 * SSM parameters that receive its ID, and who else may launch it.
 *
 * @param launchPermissions "account 123…", "group all" (public), "organization …", "organizational unit …";
 *     empty: only the owning account
 */
public record Distribution(String stack, String logicalId, String configurationName, String region,
        String amiName, String kmsKey, List<String> ssmParameters, List<String> launchPermissions,
        List<String> targetAccounts) {
    /** Whom a launch permission names, by its property, in the order Image Builder documents them. */
    private static final List<Map.Entry<String, String>> GRANTEES = List.of(Map.entry("UserIds", "account "),
            Map.entry("UserGroups", "group "), Map.entry("OrganizationArns", "organization "),
            Map.entry("OrganizationalUnitArns", "organizational unit "));

    public static List<Distribution> read(final StackTemplate stack) {
        List<Distribution> facts = new ArrayList<>();
        for (StackTemplate.Resource resource : stack.resources("AWS::ImageBuilder::DistributionConfiguration")) {
            String name = stack.render(resource.properties().path("Name"));
            for (JsonNode distribution : resource.properties().path("Distributions")) {
                JsonNode ami = distribution.path("AmiDistributionConfiguration");
                List<String> parameters = new ArrayList<>();
                for (JsonNode parameter : distribution.path("SsmParameterConfigurations")) {
                    parameters.add(stack.render(parameter.path("ParameterName"))
                            + (parameter.has("AmiAccountId")
                                    ? " (account " + stack.render(parameter.get("AmiAccountId")) + ")" : ""));
                }
                JsonNode launch = ami.path("LaunchPermissionConfiguration");
                List<String> permissions = new ArrayList<>();
                GRANTEES.forEach(grantee -> PolicyStatement.values(launch.path(grantee.getKey()), stack)
                        .forEach(value -> permissions.add(grantee.getValue() + value)));
                facts.add(new Distribution(stack.name(), resource.logicalId(), name,
                        stack.render(distribution.path("Region")), stack.render(ami.path("Name")),
                        stack.render(ami.path("KmsKeyId")), List.copyOf(parameters), List.copyOf(permissions),
                        PolicyStatement.values(ami.path("TargetAccountIds"), stack)));
            }
        }
        return facts;
    }
}
