package com.fractal.gpuhost.settings;

import java.util.Map;

/**
 * Every physical name the stacks give to AWS resources, and the name patterns IAM policies scope to, made
 * in one place so that a policy and the resources it covers cannot drift apart.
 *
 * @param ssm the SSM parameter names, under the configured prefix
 */
public record ResourceNames(SsmNames ssm) {
    /** Starts the name of every resource this project names (Image Builder resources, security groups). */
    private static final String PREFIX = "fractal";
    /** Starts every stack name. */
    private static final String STACK_PREFIX = "Fractal";
    private static final String HOST_IMAGE = PREFIX + "-gpu-host";

    /** A project tag key: "fractal:" and the given name, so that the project's own tags cannot collide. */
    public static String tagKey(final String name) {
        return PREFIX + ":" + name;
    }

    /**
     * The driver mirror: the project's bucket of qualified GRID runfiles in the build account and region.
     * Bucket names are global, so the account and region make it unique and the same on every run.
     */
    public static String driverMirrorBucket(final String account, final String region) {
        return HOST_IMAGE + "-drivers-" + account + "-" + region;
    }

    /** A project resource's name: "fractal-" and the given name. */
    public String prefixed(final String name) {
        return PREFIX + "-" + name;
    }

    /** The pattern that matches every name {@link #prefixed} makes: what IAM scopes the CI role's rights to. */
    public String prefixedPattern() {
        return prefixed("*");
    }

    /** The project tag on every resource; a variant's pipeline, recipe and distribution add the variant to it. */
    public String project() {
        return HOST_IMAGE;
    }

    public String imagePipeline(final String variant) {
        return HOST_IMAGE + "-" + variant;
    }

    public String imageRecipe(final String variant) {
        return HOST_IMAGE + "-" + variant;
    }

    public String imageDistribution(final String variant) {
        return HOST_IMAGE + "-" + variant;
    }

    public String buildInfrastructure(final String variant) {
        return HOST_IMAGE + "-" + variant + "-build";
    }

    /** The build topic: named, so that the CI role can name its exact ARN. */
    public String buildTopic() {
        return HOST_IMAGE + "-builds";
    }

    public String imageRetention(final String variant) {
        return HOST_IMAGE + "-" + variant + "-retention";
    }

    /** Image Builder fills in the build date, so every AMI name is unique. */
    public String amiName(final String variant) {
        return HOST_IMAGE + "-" + variant + "-{{ imagebuilder:buildDate }}";
    }

    /** The tag on every image a variant's pipeline makes; its retention policy selects images by it. */
    public Map<String, String> imageTags(final String variant) {
        return Map.of(tagKey("image"), "gpu-host-" + variant);
    }

    public String networkStack(final String region) {
        return STACK_PREFIX + "Network-" + region;
    }

    public String imagePipelineStack() {
        return STACK_PREFIX + "HostImagePipeline";
    }

    /** The stack of one region's AMI snapshot key, made only when the AMIs are shared. */
    public String amiKeyStack(final String region) {
        return STACK_PREFIX + "AmiKey-" + region;
    }

    /** The alias of the AMI snapshot key, the same in every region, so its ARN follows from account and region. */
    public String amiKeyAlias() {
        return "alias/" + HOST_IMAGE + "-ami-snapshots";
    }

    /**
     * The role the release command assumes in each workload account to write that account's channel parameters
     * (the workload baseline deploys it; the same name in every account).
     */
    public String releaseChannelWriterRole() {
        return prefixed("release-channel-writer");
    }

    public String devInstanceStack(final String developer) {
        return STACK_PREFIX + "DevInstance-" + developer;
    }

    public String ciDeployRoleStack() {
        return STACK_PREFIX + "CiDeployRole";
    }

    /** The Name tag of a dev instance, what the EC2 console shows. */
    public String devInstanceNameTag(final String developer) {
        return prefixed("dev-" + developer);
    }
}
