package com.fractal.gpuhost.audit.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.audit.StackTemplate;
import com.fractal.gpuhost.audit.StackTemplate.Resource;
import java.util.ArrayList;
import java.util.List;

/**
 * Encryption at rest of one thing: an EBS volume (of a launch template or image recipe), a bucket or a topic. An
 * instance's volumes are its launch template's (InstanceMetadata refuses an instance without one of its template).
 * An AMI's snapshots are its recipe's volumes, copied with the key that the AMI distribution names per region;
 * cdk-nag's FractalProject-UnencryptedRecipeVolume judges them, so they are not derived here.
 *
 * @param subject what exactly: "block device /dev/sda1", the bucket, the topic
 * @param encrypted true, false, or null when the template does not say (a default outside it applies)
 * @param detail the algorithm or key, or what applies when the template does not say
 */
public record Encryption(String stack, String logicalId, String resourceType, Kind kind, String subject,
        Boolean encrypted, String detail) {
    public enum Kind { VOLUME, BUCKET, TOPIC }

    public static List<Encryption> read(final StackTemplate stack) {
        List<Encryption> facts = new ArrayList<>();
        for (Resource resource : stack.resources()) {
            JsonNode p = resource.properties();
            switch (resource.type()) {
                case "AWS::EC2::LaunchTemplate" ->
                        volumes(stack, resource, p.path("LaunchTemplateData").path("BlockDeviceMappings"), facts);
                case "AWS::ImageBuilder::ImageRecipe" -> volumes(stack, resource, p.path("BlockDeviceMappings"), facts);
                case "AWS::S3::Bucket" -> facts.add(bucket(stack, resource));
                case "AWS::SNS::Topic" -> facts.add(of(stack, resource, Kind.TOPIC, "topic " + (p.has("TopicName")
                        ? stack.render(p.get("TopicName")) : resource.logicalId()), p.has("KmsMasterKeyId"),
                        p.has("KmsMasterKeyId") ? "KMS key " + stack.render(p.get("KmsMasterKeyId"))
                                : "no KmsMasterKeyId: messages are not encrypted at rest with KMS"));
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
                        flag(mapping.path("Ebs").path("Encrypted")), key(stack, mapping.path("Ebs"))));
            }
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

    /** The key of an EBS volume's properties (Encrypted, KmsKeyId), or what applies when Encrypted is not set. */
    private static String key(final StackTemplate stack, final JsonNode ebs) {
        Boolean encrypted = flag(ebs.path("Encrypted"));
        if (encrypted == null) {
            return "not set: the account's EBS encryption-by-default (or the snapshot's) applies";
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
