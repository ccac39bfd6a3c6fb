package com.fractal.gpuhost.nag;

import io.github.cdklabs.cdknag.NagRuleCompliance;
import java.util.Map;

/**
 * An Image Builder recipe with an EBS volume that is not encrypted, or does not say: the AMI's snapshots are
 * made from these volumes, so this is also the unencrypted-AMI check (a distribution's KmsKeyId only
 * re-encrypts the copies it makes).
 */
public final class UnencryptedRecipeVolume implements ProjectRule {
    @Override
    public String resourceType() {
        return "AWS::ImageBuilder::ImageRecipe";
    }

    @Override
    public String info() {
        return "An EBS volume of the Image Builder recipe is not encrypted (Encrypted not true).";
    }

    @Override
    public String explanation() {
        return "The recipe's volumes become the AMI's snapshots: unencrypted, they are readable by whoever can "
                + "copy them. Set Encrypted and a customer-managed KmsKeyId on every block device.";
    }

    @Override
    public NagRuleCompliance check(final String type, final Map<String, Object> properties) {
        if (!resourceType().equals(type)) {
            return NagRuleCompliance.NOT_APPLICABLE;
        }
        boolean unencrypted = CfnValues.list(properties, "BlockDeviceMappings").stream()
                .filter(device -> device instanceof Map<?, ?> m && m.containsKey("Ebs"))
                .anyMatch(device -> !CfnValues.isTrue(CfnValues.map(device, "Ebs"), "Encrypted"));
        return unencrypted ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
    }
}
