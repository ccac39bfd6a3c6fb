package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
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

    /** What is encrypted. */
    public enum Kind {
        VOLUME, BUCKET, TOPIC, AMI;

        public String label() {
            return name().toLowerCase();
        }
    }

    public static List<Encryption> read(final StackTemplate stack) {
        List<Encryption> facts = new ArrayList<>();
        for (StackTemplate.Resource resource : stack.resources()) {
            JsonNode p = resource.properties();
            switch (resource.type()) {
                case "AWS::EC2::LaunchTemplate" ->
                        volumes(stack, resource, p.path("LaunchTemplateData").path("BlockDeviceMappings"), facts);
                case "AWS::AutoScaling::LaunchConfiguration", "AWS::ImageBuilder::ImageRecipe" ->
                        volumes(stack, resource, p.path("BlockDeviceMappings"), facts);
                case "AWS::EC2::Instance" -> instance(stack, resource, facts);
                case "AWS::EC2::Volume" -> facts.add(new Encryption(stack.name(), resource.logicalId(),
                        resource.type(), Kind.VOLUME, "volume", flag(p.path("Encrypted")), key(stack, p.path("KmsKeyId"),
                                flag(p.path("Encrypted")), "not set: the account's EBS encryption-by-default applies")));
                case "AWS::S3::Bucket" -> facts.add(bucket(stack, resource));
                case "AWS::SNS::Topic" -> {
                    JsonNode key = p.path("KmsMasterKeyId");
                    facts.add(new Encryption(stack.name(), resource.logicalId(), resource.type(), Kind.TOPIC,
                            "topic " + (p.has("TopicName") ? stack.render(p.get("TopicName")) : resource.logicalId()),
                            !key.isMissingNode(), key.isMissingNode()
                                    ? "no KmsMasterKeyId: messages are not encrypted at rest with KMS"
                                    : "KMS key " + stack.render(key)));
                }
                case "AWS::ImageBuilder::ImagePipeline" -> amis(stack, resource, facts);
                default -> {
                }
            }
        }
        return facts;
    }

    private static void volumes(final StackTemplate stack, final StackTemplate.Resource resource,
            final JsonNode mappings, final List<Encryption> facts) {
        for (JsonNode mapping : mappings) {
            JsonNode ebs = mapping.path("Ebs");
            if (ebs.isMissingNode()) {
                continue;
            }
            Boolean encrypted = flag(ebs.path("Encrypted"));
            facts.add(new Encryption(stack.name(), resource.logicalId(), resource.type(), Kind.VOLUME,
                    "block device " + stack.render(mapping.path("DeviceName")), encrypted,
                    key(stack, ebs.path("KmsKeyId"), encrypted,
                            "not set: the account's EBS encryption-by-default (or the snapshot's) applies")));
        }
    }

    private static void instance(final StackTemplate stack, final StackTemplate.Resource resource,
            final List<Encryption> facts) {
        JsonNode p = resource.properties();
        if (p.path("BlockDeviceMappings").size() > 0) {
            volumes(stack, resource, p.path("BlockDeviceMappings"), facts);
            return;
        }
        JsonNode template = p.path("LaunchTemplate");
        String templateId = StackTemplate.referencedId(template.path("LaunchTemplateId"));
        if (templateId != null && stack.template().path("Resources").has(templateId)) {
            return;
        }
        facts.add(new Encryption(stack.name(), resource.logicalId(), resource.type(), Kind.VOLUME, "root volume", null,
                template.isMissingNode() ? "not set: the volumes come from the AMI's snapshots"
                        : "from launch template " + stack.render(template) + ", outside this template"));
    }

    private static Encryption bucket(final StackTemplate stack, final StackTemplate.Resource resource) {
        JsonNode p = resource.properties();
        JsonNode rule = p.path("BucketEncryption").path("ServerSideEncryptionConfiguration").path(0)
                .path("ServerSideEncryptionByDefault");
        String subject = "bucket " + (p.has("BucketName") ? stack.render(p.get("BucketName")) : resource.logicalId());
        if (rule.isMissingNode()) {
            return new Encryption(stack.name(), resource.logicalId(), resource.type(), Kind.BUCKET, subject, null,
                    "no BucketEncryption: S3's default SSE-S3 applies to new objects");
        }
        String algorithm = stack.render(rule.path("SSEAlgorithm"));
        String key = rule.has("KMSMasterKeyID") ? ", key " + stack.render(rule.get("KMSMasterKeyID")) : "";
        return new Encryption(stack.name(), resource.logicalId(), resource.type(), Kind.BUCKET, subject, true,
                algorithm + key);
    }

    /** The AMIs a pipeline makes: encrypted by the distribution's key, or as the recipe's volumes are. */
    private static void amis(final StackTemplate stack, final StackTemplate.Resource pipeline,
            final List<Encryption> facts) {
        JsonNode resources = stack.template().path("Resources");
        String recipeId = StackTemplate.referencedId(pipeline.properties().path("ImageRecipeArn"));
        JsonNode recipe = recipeId == null ? null : resources.get(recipeId);
        Boolean recipeEncrypted = null;
        String recipeDetail = "the recipe is outside this template";
        if (recipe != null) {
            List<Boolean> volumes = new ArrayList<>();
            recipe.path("Properties").path("BlockDeviceMappings").forEach(mapping -> {
                if (mapping.has("Ebs")) {
                    volumes.add(flag(mapping.path("Ebs").path("Encrypted")));
                }
            });
            if (volumes.isEmpty()) {
                recipeDetail = "the recipe sets no volumes: the parent image's snapshots decide";
            } else if (volumes.stream().allMatch(Boolean.TRUE::equals)) {
                recipeEncrypted = true;
                recipeDetail = "snapshots of recipe " + recipeId + "'s encrypted volumes, with the EBS default key of "
                        + "each region";
            } else {
                recipeEncrypted = volumes.contains(Boolean.FALSE) ? false : null;
                recipeDetail = "recipe " + recipeId + " leaves some volumes unencrypted or unset";
            }
        }
        String distributionId = StackTemplate.referencedId(pipeline.properties().path("DistributionConfigurationArn"));
        JsonNode distribution = distributionId == null ? null : resources.get(distributionId);
        String label = "AMI of pipeline " + stack.render(pipeline.properties().path("Name"));
        if (distribution == null) {
            facts.add(new Encryption(stack.name(), pipeline.logicalId(), pipeline.type(), Kind.AMI,
                    label + " in " + stack.region(), recipeEncrypted, recipeDetail));
            return;
        }
        for (JsonNode region : distribution.path("Properties").path("Distributions")) {
            JsonNode key = region.path("AmiDistributionConfiguration").path("KmsKeyId");
            String where = label + " in " + stack.render(region.path("Region"));
            facts.add(key.isMissingNode()
                    ? new Encryption(stack.name(), pipeline.logicalId(), pipeline.type(), Kind.AMI, where,
                            recipeEncrypted, recipeDetail)
                    : new Encryption(stack.name(), pipeline.logicalId(), pipeline.type(), Kind.AMI, where, true,
                            "KMS key " + stack.render(key)));
        }
    }

    private static String key(final StackTemplate stack, final JsonNode key, final Boolean encrypted,
            final String unset) {
        if (encrypted == null) {
            return unset;
        }
        if (!encrypted) {
            return "Encrypted: false";
        }
        return key.isMissingNode() ? "EBS default key (aws/ebs)" : "KMS key " + stack.render(key);
    }

    private static Boolean flag(final JsonNode value) {
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(value.asText());
        }
        return null;
    }
}
