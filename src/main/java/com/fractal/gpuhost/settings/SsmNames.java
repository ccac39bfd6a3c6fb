package com.fractal.gpuhost.settings;

/**
 * Names of the SSM parameters through which stacks deployed at different times share IDs. The same
 * names exist in every active region (parameters are regional). Everything lives under one prefix.
 */
public record SsmNames(String prefix) {
    public String vpcId() {
        return prefix + "/network/vpc-id";
    }

    /** StringList of the public subnet IDs, in AZ order. */
    public String publicSubnetIds() {
        return prefix + "/network/public-subnet-ids";
    }

    /**
     * The newest host AMI of a variant in a region, written by Image Builder's distribution. Image Builder's
     * service-linked role may only write under /imagebuilder/, so this one name sits there.
     */
    public String hostAmiId(final String variant) {
        return amiIdPath() + "/" + variant + "/ami-id";
    }

    public String securityGroupId(final String groupKey) {
        return prefix + "/network/security-groups/" + groupKey + "-id";
    }

    /** The ARN of a variant's image pipeline, in the build region, for CI to start a build with. */
    public String imagePipelineArn(final String variant) {
        return prefix + "/image/" + variant + "/pipeline-arn";
    }

    /**
     * The path under which Image Builder's distribution writes each region's AMI ID. Image Builder's
     * service-linked role may write parameters only under /imagebuilder/, so this is the project prefix
     * below it: /imagebuilder/fractal for the default prefix.
     */
    public String amiIdPath() {
        return "/imagebuilder" + prefix;
    }

    /**
     * A variant's release channel: its AMI in a region (data type aws:ec2:image); the parameter's history is
     * the channel's release log.
     */
    public String channelAmiId(final String variant, final String channel) {
        return prefix + "/image/" + variant + "/channels/" + channel + "/ami-id";
    }

    /** The ARN of the build topic (build region), to which the release command publishes. */
    public String notificationTopicArn() {
        return prefix + "/image/notification-topic-arn";
    }
}
