package com.fractal.gpuhost.image;

import com.fractal.gpuhost.settings.ImageVariant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.imagebuilder.CfnDistributionConfiguration;
import software.constructs.Construct;

/**
 * Copies each new AMI to every active region and writes its ID to the same SSM parameter in each.
 * The AMI settings are a map with CloudFormation's own PascalCase keys: the L1 types this property as
 * Object, and its generated builder would write camelCase keys that CloudFormation silently ignores.
 */
public final class HostImageDistribution extends Construct {
    private final CfnDistributionConfiguration configuration;

    /** What to distribute where. */
    public record Props(String name, String amiName, ImageVariant variant, List<String> regions, String amiIdParameter, List<String> launchPermissionAccounts,
            Map<String, String> amiTags) {
    }

    public HostImageDistribution(final Construct scope, final String id, final Props props) {
        super(scope, id);
        List<CfnDistributionConfiguration.DistributionProperty> distributions = props.regions().stream()
                .map(region -> CfnDistributionConfiguration.DistributionProperty.builder()
                        .region(region)
                        .amiDistributionConfiguration(amiSettings(props))
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

    private static Map<String, Object> amiSettings(final Props props) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("Name", props.amiName());
        ImageVariant variant = props.variant();
        settings.put("Description", "GPU streaming host " + variant.name() + " (Ubuntu " + variant.osRelease() + ", "
                + String.join("/", variant.families()) + ", NVIDIA GRID, Docker with the NVIDIA runtime, ECS agent)");
        settings.put("AmiTags", props.amiTags());
        if (!props.launchPermissionAccounts().isEmpty()) {
            settings.put("LaunchPermissionConfiguration", Map.of("UserIds", props.launchPermissionAccounts()));
        }
        return settings;
    }

    public String arn() {
        return configuration.getAttrArn();
    }
}
