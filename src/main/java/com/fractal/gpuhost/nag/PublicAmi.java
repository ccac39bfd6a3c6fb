package com.fractal.gpuhost.nag;

import io.github.cdklabs.cdknag.NagRuleCompliance;
import java.util.Map;

/** An Image Builder distribution that shares the AMI with everyone (launch permission group "all"). */
public final class PublicAmi implements ProjectRule {
    static final String TYPE = "AWS::ImageBuilder::DistributionConfiguration";

    @Override
    public String resourceType() {
        return TYPE;
    }

    @Override
    public String info() {
        return "The Image Builder distribution makes the AMI public (launch permission user group \"all\").";
    }

    @Override
    public String explanation() {
        return "Anyone can launch a public AMI and copy its snapshots, with whatever the build left on them. "
                + "Share with accounts, organizations or OUs instead.";
    }

    @Override
    public NagRuleCompliance check(final String type, final Map<String, Object> properties) {
        if (!resourceType().equals(type)) {
            return NagRuleCompliance.NOT_APPLICABLE;
        }
        boolean shared = CfnValues.list(properties, "Distributions").stream()
                .map(d -> CfnValues.map(CfnValues.map(d, "AmiDistributionConfiguration"),
                        "LaunchPermissionConfiguration"))
                .flatMap(permission -> CfnValues.items(permission.get("UserGroups")).stream())
                .anyMatch("all"::equals);
        return shared ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
}
