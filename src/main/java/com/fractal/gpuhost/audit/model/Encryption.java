package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import com.fractal.gpuhost.audit.StackTemplate.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * Encryption at rest of one thing: an EBS volume (of a launch template, instance, volume or image recipe), a
 * bucket, a topic, or the AMI a pipeline distributes to one region.
 *
 * @param subject what exactly: "block device /dev/sda1", "AMI in us-east-2", the bucket, the topic
 * @param encrypted true, false, or null when the template does not say (a default outside it applies)
 * @param detail the algorithm or key, or what applies when the template does not say
 */
public record Encryption(String stack, String logicalId, String resourceType, Kind kind, String subject,
        Boolean encrypted, String detail) {
    private static final String EBS_DEFAULT = "not set: the account's EBS encryption-by-default";

    /** What is encrypted. */
    public enum Kind {
        VOLUME, BUCKET, TOPIC, AMI;

        public String label() {
            return name().toLowerCase();
        }
    }

    public static List<Encryption> read(final StackTemplate stack) {
        List<Encryption> facts = new ArrayList<>();
        for (Resource resource : stack.resources()) {
            JsonNode p = resource.properties();
            switch (resource.type()) {
                case "AWS::EC2::LaunchTemplate" ->
                        volumes(stack, resource, p.path("LaunchTemplateData").path("BlockDeviceMappings"), facts);
                case "AWS::AutoScaling::LaunchConfiguration", "AWS::ImageBuilder::ImageRecipe" ->
                        volumes(stack, resource, p.path("BlockDeviceMappings"), facts);
                case "AWS::EC2::Instance" -> instance(stack, resource, facts);
                case "AWS::EC2::Volume" -> facts.add(of(stack, resource, Kind.VOLUME, "volume", flag(p.path("Encrypted")),
                        key(stack, p, " applies")));
                case "AWS::S3::Bucket" -> facts.add(bucket(stack, resource));
                case "AWS::SNS::Topic" -> facts.add(of(stack, resource, Kind.TOPIC, "topic " + (p.has("TopicName")
                        ? stack.render(p.get("TopicName")) : resource.logicalId()), p.has("KmsMasterKeyId"),
                        p.has("KmsMasterKeyId") ? "KMS key " + stack.render(p.get("KmsMasterKeyId"))
                                : "no KmsMasterKeyId: messages are not encrypted at rest with KMS"));
                case "AWS::ImageBuilder::ImagePipeline" -> amis(stack, resource, facts);
                default -> {
                }
            }
        }
        return facts;
    }

    private static Encryption of(final StackTemplate stack, final Resource resource, final Kind kind,
            final String subject, final Boolean encrypted, final String detail) {
        return new Encryption(stack.name(), resource.logicalId(), resource.type(), kind, subject, encrypted, detail);
    }

    private static void volumes(final StackTemplate stack, final Resource resource, final JsonNode mappings,
            final List<Encryption> facts) {
        for (JsonNode mapping : mappings) {
            if (mapping.has("Ebs")) {
                facts.add(of(stack, resource, Kind.VOLUME, "block device " + stack.render(mapping.path("DeviceName")),
                        flag(mapping.path("Ebs").path("Encrypted")), key(stack, mapping.path("Ebs"),
                                " (or the snapshot's) applies")));
            }
        }
    }

    /** An instance's own volumes; none when they come from a launch template of this template, listed there. */
    private static void instance(final StackTemplate stack, final Resource resource, final List<Encryption> facts) {
        JsonNode p = resource.properties();
        JsonNode template = p.path("LaunchTemplate");
        if (p.path("BlockDeviceMappings").size() > 0) {
            volumes(stack, resource, p.path("BlockDeviceMappings"), facts);
        } else if (stack.resource(template.path("LaunchTemplateId")) == null) {
            facts.add(of(stack, resource, Kind.VOLUME, "root volume", null, template.isMissingNode()
                    ? "not set: the volumes come from the AMI's snapshots"
                    : "from launch template " + stack.render(template) + ", outside this template"));
        }
    }

    private static Encryption bucket(final StackTemplate stack, final Resource resource) {
        JsonNode p = resource.properties();
        JsonNode rule = p.path("BucketEncryption").path("ServerSideEncryptionConfiguration").path(0)
                .path("ServerSideEncryptionByDefault");
        String subject = "bucket " + (p.has("BucketName") ? stack.render(p.get("BucketName")) : resource.logicalId());
        return rule.isMissingNode()
                ? of(stack, resource, Kind.BUCKET, subject, null, "no BucketEncryption: S3's default SSE-S3 applies "
                        + "to new objects")
                : of(stack, resource, Kind.BUCKET, subject, true, stack.render(rule.path("SSEAlgorithm"))
                        + (rule.has("KMSMasterKeyID") ? ", key " + stack.render(rule.get("KMSMasterKeyID")) : ""));
    }

    /** The AMIs a pipeline makes, one per region: encrypted by the distribution's key, or as the recipe's volumes are. */
    private static void amis(final StackTemplate stack, final Resource pipeline, final List<Encryption> facts) {
        JsonNode recipe = stack.resource(pipeline.properties().path("ImageRecipeArn"));
        String recipeId = StackTemplate.referencedId(pipeline.properties().path("ImageRecipeArn"));
        List<Boolean> volumes = new ArrayList<>();
        if (recipe != null) {
            recipe.path("Properties").path("BlockDeviceMappings").forEach(mapping -> {
                if (mapping.has("Ebs")) {
                    volumes.add(flag(mapping.path("Ebs").path("Encrypted")));
                }
            });
        }
        boolean allEncrypted = !volumes.isEmpty() && volumes.stream().allMatch(Boolean.TRUE::equals);
        Boolean encrypted = allEncrypted ? Boolean.TRUE : volumes.contains(Boolean.FALSE) ? Boolean.FALSE : null;
        String detail = recipe == null ? "the recipe is outside this template"
                : volumes.isEmpty() ? "the recipe sets no volumes: the parent image's snapshots decide"
                : allEncrypted ? "snapshots of recipe " + recipeId + "'s encrypted volumes, with the EBS default key "
                        + "of each region"
                : "recipe " + recipeId + " leaves some volumes unencrypted or unset";
        String label = "AMI of pipeline " + stack.render(pipeline.properties().path("Name")) + " in ";
        JsonNode distribution = stack.resource(pipeline.properties().path("DistributionConfigurationArn"));
        if (distribution == null) {
            facts.add(of(stack, pipeline, Kind.AMI, label + stack.region(), encrypted, detail));
            return;
        }
        for (JsonNode region : distribution.path("Properties").path("Distributions")) {
            JsonNode key = region.path("AmiDistributionConfiguration").path("KmsKeyId");
            String where = label + stack.render(region.path("Region"));
            facts.add(key.isMissingNode() ? of(stack, pipeline, Kind.AMI, where, encrypted, detail)
                    : of(stack, pipeline, Kind.AMI, where, true, "KMS key " + stack.render(key)));
        }
    }

    /** The key of an EBS volume's properties (Encrypted, KmsKeyId), or what applies when Encrypted is not set. */
    private static String key(final StackTemplate stack, final JsonNode ebs, final String whenUnset) {
        Boolean encrypted = flag(ebs.path("Encrypted"));
        if (encrypted == null) {
            return EBS_DEFAULT + whenUnset;
        }
        return !encrypted ? "Encrypted: false" : ebs.has("KmsKeyId") ? "KMS key " + stack.render(ebs.get("KmsKeyId"))
                : "EBS default key (aws/ebs)";
    }

    private static Boolean flag(final JsonNode value) {
        String text = value.asText("");
        return value.isBoolean() || text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")
                ? Boolean.valueOf(text.equalsIgnoreCase("true")) : null;
    }
}
