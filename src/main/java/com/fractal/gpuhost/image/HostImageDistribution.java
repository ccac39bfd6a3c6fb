package com.fractal.gpuhost.image;

import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.settings.SharingSettings;
import com.fractal.gpuhost.sharing.AmiSnapshotKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.imagebuilder.CfnDistributionConfiguration;
import software.constructs.Construct;

/**
 * Copies each new AMI to every active region and writes its ID to the same SSM parameter in each. When the
 * AMIs are shared, each region's AMI is encrypted with that region's snapshot key and carries the launch
 * permissions (accounts, organization, OUs); accounts that must own their AMIs get a copy.
 * The AMI settings are a map with CloudFormation's own PascalCase keys: the L1 types this property as
 * Object, and its generated builder would write camelCase keys that CloudFormation silently ignores.
 */
public final class HostImageDistribution extends Construct {
    private final CfnDistributionConfiguration configuration;

    /**
     * What to distribute where.
     *
     * @param sharing          who else launches or copies the AMIs
     * @param snapshotKeyAlias the alias of each region's snapshot key, present when {@code sharing} is active
     */
    public record Props(String name, String amiName, ImageVariant variant, List<String> regions,
            String amiIdParameter, SharingSettings sharing, Optional<String> snapshotKeyAlias,
            Map<String, String> amiTags) {
    }

    public HostImageDistribution(final Construct scope, final String id, final Props props) {
        super(scope, id);
        List<CfnDistributionConfiguration.DistributionProperty> distributions = props.regions().stream()
                .map(region -> CfnDistributionConfiguration.DistributionProperty.builder()
                        .region(region)
                        .amiDistributionConfiguration(amiSettings(props, region))
                        .ssmParameterConfigurations(List.of(
                                CfnDistributionConfiguration.SsmParameterConfigurationProperty.builder()
                                        .parameterName(props.amiIdParameter())
                                        .dataType("aws:ec2:image")
                                        .build()))
                        .build())
                .toList();
        configuration = CfnDistributionConfiguration.Builder.create(this, "Configuration")
                .name(props.name())
                .description("The " + props.variant().name() + " GPU host AMI in every active region, its ID in SSM at "
                        + props.amiIdParameter())
                .distributions(distributions)
                .build();
    }

    private Map<String, Object> amiSettings(final Props props, final String region) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("Name", props.amiName());
        ImageVariant variant = props.variant();
        settings.put("Description", "GPU streaming host " + variant.name() + " (Ubuntu " + variant.osRelease() + ", "
                + String.join("/", variant.families()) + ", NVIDIA GRID, Docker with the NVIDIA runtime, ECS agent)");
        settings.put("AmiTags", props.amiTags());
        props.snapshotKeyAlias().ifPresent(alias ->
                settings.put("KmsKeyId", AmiSnapshotKey.aliasArn(this, region, alias)));
        SharingSettings sharing = props.sharing();
        if (sharing.sharesByLaunchPermission()) {
            Map<String, Object> permission = new LinkedHashMap<>();
            putUnlessEmpty(permission, "UserIds", sharing.accounts());
            putUnlessEmpty(permission, "OrganizationArns", sharing.organization().map(List::of).orElse(List.of()));
            putUnlessEmpty(permission, "OrganizationalUnitArns", sharing.organizationalUnits());
            settings.put("LaunchPermissionConfiguration", permission);
        }
        if (!sharing.copyToAccounts().isEmpty()) {
            // Listing target accounts replaces the default target, the build account: keep it, since its SSM
            // parameter, channels and retention act on its own AMIs.
            List<String> targets = new ArrayList<>(List.of(Aws.ACCOUNT_ID));
            targets.addAll(sharing.copyToAccounts());
            settings.put("TargetAccountIds", targets);
        }
        return settings;
    }

    private static void putUnlessEmpty(final Map<String, Object> map, final String key, final List<String> values) {
        if (!values.isEmpty()) {
            map.put(key, values);
        }
    }

    public String arn() {
        return configuration.getAttrArn();
    }
}
