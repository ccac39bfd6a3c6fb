package com.fractal.gpuhost.nag;

import io.github.cdklabs.cdknag.NagRuleCompliance;
import java.util.Map;

/** Image Builder's build and test instances that answer IMDSv1 (HttpTokens not "required"). */
public final class ImdsV1OnBuildInstances implements ProjectRule {
    @Override
    public String resourceType() {
        return "AWS::ImageBuilder::InfrastructureConfiguration";
    }

    @Override
    public String info() {
        return "The Image Builder infrastructure configuration lets build instances use IMDSv1.";
    }

    @Override
    public String explanation() {
        return "IMDSv1 answers any request from the instance, so a request forgery in anything the build runs "
                + "hands out the instance role's credentials. Set InstanceMetadataOptions HttpTokens to required.";
    }

    @Override
    public NagRuleCompliance check(final String type, final Map<String, Object> properties) {
        if (!resourceType().equals(type)) {
            return NagRuleCompliance.NOT_APPLICABLE;
        }
        return "required".equals(CfnValues.map(properties, "InstanceMetadataOptions").get("HttpTokens"))
                ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
}
