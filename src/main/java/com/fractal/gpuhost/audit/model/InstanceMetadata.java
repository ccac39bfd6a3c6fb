package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.AuditException;
import com.fractal.gpuhost.audit.StackTemplate;
import java.util.ArrayList;
import java.util.List;

/**
 * The instance metadata service settings of something that launches instances: a launch template, an instance
 * (from its launch template) or an Image Builder infrastructure configuration.
 *
 * @param httpTokens "required" (IMDSv2 only), "optional" (IMDSv1 allowed), or null when not set (IMDSv1 is
 *     then allowed unless the AMI or the account's default says otherwise)
 * @param detail where the setting comes from and the other options set
 */
public record InstanceMetadata(String stack, String logicalId, String resourceType, String httpTokens,
        String httpEndpoint, String detail) {
    private static final String V1_UNLESS = "(IMDSv1 allowed unless the AMI or account default requires v2)";

    /** Only IMDSv2 (session tokens) can be used, or the metadata endpoint is off. */
    public boolean requiresV2() {
        return "required".equals(httpTokens) || "disabled".equals(httpEndpoint);
    }

    public static List<InstanceMetadata> read(final StackTemplate stack) {
        List<InstanceMetadata> facts = new ArrayList<>();
        for (StackTemplate.Resource resource : stack.resources()) {
            JsonNode p = resource.properties();
            switch (resource.type()) {
                case "AWS::EC2::LaunchTemplate" -> facts.add(
                        of(stack, resource, p.path("LaunchTemplateData").path("MetadataOptions"), "launch template"));
                case "AWS::ImageBuilder::InfrastructureConfiguration" ->
                        facts.add(of(stack, resource, p.path("InstanceMetadataOptions"), "build and test instances"));
                case "AWS::EC2::Instance" -> facts.add(instance(stack, resource));
                default -> {
                }
            }
        }
        return facts;
    }

    /** An instance's settings and volumes are its launch template's, in its own template; any other is refused. */
    private static InstanceMetadata instance(final StackTemplate stack, final StackTemplate.Resource resource) {
        JsonNode templateId = resource.properties().path("LaunchTemplate").path("LaunchTemplateId");
        if (stack.resource(templateId) == null || resource.properties().has("BlockDeviceMappings")
                || resource.properties().has("MetadataOptions")) {
            throw new AuditException("stack " + stack.name() + ": instance " + resource.logicalId() + " sets its "
                    + "own volumes or metadata options, or has no launch template in its template, where the "
                    + "report reads them");
        }
        return of(stack, resource, stack.resource(templateId).path("Properties").path("LaunchTemplateData")
                .path("MetadataOptions"), "instance, from launch template " + StackTemplate.referencedId(templateId));
    }

    private static InstanceMetadata of(final StackTemplate stack, final StackTemplate.Resource resource,
            final JsonNode options, final String what) {
        String tokens = options.has("HttpTokens") ? stack.render(options.get("HttpTokens")) : null;
        String endpoint = options.has("HttpEndpoint") ? stack.render(options.get("HttpEndpoint")) : null;
        List<String> details = new ArrayList<>(List.of(what));
        if (endpoint != null) {
            details.add("endpoint " + endpoint);
        }
        if (options.has("HttpPutResponseHopLimit")) {
            details.add("hop limit " + stack.render(options.get("HttpPutResponseHopLimit")));
        }
        if (tokens == null) {
            details.add("HttpTokens not set " + V1_UNLESS);
        }
        return new InstanceMetadata(stack.name(), resource.logicalId(), resource.type(), tokens, endpoint,
                String.join("; ", details));
    }
}
