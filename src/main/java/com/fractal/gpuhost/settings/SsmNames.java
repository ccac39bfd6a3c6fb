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

    public String securityGroupId(final String groupKey) {
        return prefix + "/network/security-groups/" + groupKey + "-id";
    }
}
