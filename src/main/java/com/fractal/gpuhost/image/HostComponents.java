package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ConstructIds;
import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.services.imagebuilder.CfnComponent;
import software.constructs.Construct;

/**
 * One Image Builder component per AWSTOE document, in the order the recipe runs them. Its data is the document
 * as the file holds it; the recipe passes the parameters' values. A document that takes the scripts asset's
 * location gets a new version when the scripts change, too.
 */
public final class HostComponents extends Construct {
    /** The documents in components/, in build order: part 1, reboot, part 2; then validate; then test. */
    public static final List<String> ORDER = List.of("host-setup", "ami-setup", "validate", "test");
    /** The document parameter through which a component learns where the scripts asset is. */
    public static final String SCRIPTS_PARAMETER = "HostScriptsS3Uri";
    /** The document parameter that names the image variant; the entry scripts get it as IMAGE_VARIANT. */
    public static final String VARIANT_PARAMETER = "ImageVariant";
    /** The document parameters that name the driver mirror; part 1 gets them as NVIDIA_DRIVER_MIRROR_*. */
    public static final String MIRROR_BUCKET_PARAMETER = "DriverMirrorBucket";
    public static final String MIRROR_REGION_PARAMETER = "DriverMirrorRegion";
    /** The document parameter with the variant's pinned runfile key, which part 1's component fetches first. */
    public static final String DRIVER_KEY_PARAMETER = "GridDriverKey";

    private final List<Component> components = new ArrayList<>();

    /** A component with the document it was made from. */
    public record Component(CfnComponent resource, ComponentDocument document) {
    }

    public HostComponents(final Construct scope, final String id, final Path componentsDir,
            final HostScriptsAsset scripts) {
        super(scope, id);
        for (String key : ORDER) {
            ComponentDocument document = ComponentDocument.read(componentsDir, key);
            String version = document.declares(SCRIPTS_PARAMETER)
                    ? ContentVersion.of(document.text(), scripts.assetHash())
                    : ContentVersion.of(document.text());
            CfnComponent component = CfnComponent.Builder.create(this, ConstructIds.pascalCase(key))
                    .name(document.name())
                    .version(version)
                    .platform("Linux")
                    .description(document.description())
                    .changeDescription("Content version " + version)
                    .data(document.text())
                    .build();
            components.add(new Component(component, document));
        }
    }

    public List<Component> inOrder() {
        return List.copyOf(components);
    }
}
