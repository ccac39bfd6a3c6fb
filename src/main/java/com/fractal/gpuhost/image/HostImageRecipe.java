package com.fractal.gpuhost.image;

import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.sharing.AmiSnapshotKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.imagebuilder.CfnImageRecipe;
import software.constructs.Construct;

/**
 * The image recipe: Ubuntu from the base image's SSM parameter (resolved by Image Builder at each build,
 * so every build starts from the current image), an encrypted gp3 root, the components in order, and
 * the SSM agent kept in the image. Recipes are immutable too: the version follows the content.
 */
public final class HostImageRecipe extends Construct {
    /** Canonical's Ubuntu images boot from this device. */
    static final String ROOT_DEVICE = "/dev/sda1";
    /** Where AWSTOE keeps its files during a build (the documents fetch the scripts elsewhere: their constants). */
    static final String WORKING_DIRECTORY = "/var/tmp/imagebuilder";

    private final CfnImageRecipe recipe;

    /**
     * What the recipe is made of.
     *
     * @param snapshotKeyAlias the alias of the AMI snapshot key when the AMIs are shared; without it the root
     *                         is encrypted with the account's default EBS key
     */
    public record Props(String name, ImageVariant variant, int rootVolumeGiB, HostComponents components,
            HostScriptsAsset scripts, BuildLogs logs, DriverMirror mirror, Optional<String> snapshotKeyAlias) {
    }

    public HostImageRecipe(final Construct scope, final String id, final Props props) {
        super(scope, id);
        List<String> versionInputs = new ArrayList<>(List.of(props.variant().baseImageSsmParameter(),
                props.variant().name(),
                String.valueOf(props.rootVolumeGiB()), WORKING_DIRECTORY, props.scripts().assetHash()));
        // A recipe cannot change in place: another key makes another version.
        props.snapshotKeyAlias().ifPresent(versionInputs::add);
        for (HostComponents.Component component : props.components().inOrder()) {
            versionInputs.add(component.resource().getName() + "@" + component.resource().getVersion()
                    + component.document().parameterNames());
        }
        String version = ContentVersion.of(versionInputs.toArray(String[]::new));
        // What the recipe can tell a component; each gets the parameters its document declares.
        Map<String, String> parameterValues = Map.of(
                HostComponents.SCRIPTS_PARAMETER, props.scripts().s3ObjectUrl(),
                "BuildLogBucket", props.logs().bucket().getBucketName(),
                "ImageName", props.name(),
                "ImageVersion", version,
                HostComponents.VARIANT_PARAMETER, props.variant().name(),
                HostComponents.MIRROR_BUCKET_PARAMETER, props.mirror().bucket().getBucketName(),
                HostComponents.MIRROR_REGION_PARAMETER, Stack.of(this).getRegion(),
                HostComponents.DRIVER_KEY_PARAMETER, props.variant().driver().key());
        List<Object> components = new ArrayList<>();
        for (HostComponents.Component component : props.components().inOrder()) {
            components.add(configuration(component, parameterValues));
        }
        recipe = CfnImageRecipe.Builder.create(this, "Recipe")
                .name(props.name())
                .version(version)
                .description("GPU streaming host " + props.variant().name() + ": Ubuntu " + props.variant().osRelease()
                        + ", NVIDIA GRID driver, Docker with the NVIDIA runtime, ECS agent")
                .parentImage("ssm:" + props.variant().baseImageSsmParameter())
                .components(components)
                .workingDirectory(WORKING_DIRECTORY)
                .blockDeviceMappings(List.of(CfnImageRecipe.InstanceBlockDeviceMappingProperty.builder()
                        .deviceName(ROOT_DEVICE)
                        .ebs(rootVolume(props))
                        .build()))
                .additionalInstanceConfiguration(CfnImageRecipe.AdditionalInstanceConfigurationProperty.builder()
                        .systemsManagerAgent(CfnImageRecipe.SystemsManagerAgentProperty.builder()
                                .uninstallAfterBuild(false)
                                .build())
                        .build())
                .build();
    }

    /** An encrypted gp3 root; with the snapshot key's full alias ARN when the AMIs are shared. */
    private CfnImageRecipe.EbsInstanceBlockDeviceSpecificationProperty rootVolume(final Props props) {
        CfnImageRecipe.EbsInstanceBlockDeviceSpecificationProperty.Builder ebs =
                CfnImageRecipe.EbsInstanceBlockDeviceSpecificationProperty.builder()
                        .volumeSize(props.rootVolumeGiB())
                        .volumeType("gp3")
                        .encrypted(true)
                        .deleteOnTermination(true);
        props.snapshotKeyAlias().ifPresent(alias ->
                ebs.kmsKeyId(AmiSnapshotKey.aliasArn(this, Stack.of(this).getRegion(), alias)));
        return ebs.build();
    }

    private static CfnImageRecipe.ComponentConfigurationProperty configuration(
            final HostComponents.Component component, final Map<String, String> parameterValues) {
        List<CfnImageRecipe.ComponentParameterProperty> parameters = new ArrayList<>();
        for (String name : component.document().parameterNames()) {
            String value = parameterValues.get(name);
            if (value != null) {
                parameters.add(CfnImageRecipe.ComponentParameterProperty.builder()
                        .name(name).value(List.of(value)).build());
            } else if (component.document().requiredParameters().contains(name)) {
                throw new IllegalStateException("components/" + component.document().key() + ".yml declares the "
                        + "parameter " + name + " without a default, and the recipe has no value for it; it can "
                        + "pass " + new TreeSet<>(parameterValues.keySet()));
            }
        }
        CfnImageRecipe.ComponentConfigurationProperty.Builder entry =
                CfnImageRecipe.ComponentConfigurationProperty.builder()
                        .componentArn(component.resource().getAttrArn());
        if (!parameters.isEmpty()) {
            entry.parameters(parameters);
        }
        return entry.build();
    }

    public String arn() {
        return recipe.getAttrArn();
    }

    public CfnImageRecipe resource() {
        return recipe;
    }
}
