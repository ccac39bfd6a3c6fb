package com.fractal.gpuhost;

import com.fractal.gpuhost.baseline.WorkloadBaselineStackSetStack;
import com.fractal.gpuhost.baseline.WorkloadBaselineTemplate;
import com.fractal.gpuhost.ci.CiDeployRoleStack;
import com.fractal.gpuhost.devinstance.DevInstanceStack;
import com.fractal.gpuhost.image.HostImagePipelineStack;
import com.fractal.gpuhost.network.NetworkStack;
import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.sharing.AmiKeyStack;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

/**
 * The one composition of the stacks the settings call for, used by the app, the tests and the benchmark.
 * Checks such as cdk-nag are the caller's to add ({@link GpuHostApp#addNagChecks}).
 */
public final class GpuHostStacks {
    private GpuHostStacks() {
    }

    /**
     * @param account the AWS account when known (CDK_DEFAULT_ACCOUNT); synthesis never needs it
     * @return the stacks added, network stacks first
     */
    public static List<Stack> addTo(final App app, final Settings settings, final Optional<String> account) {
        return addTo(app, settings, account, GpuHostApp.COMPONENTS_DIR);
    }

    /** As {@link #addTo(App, Settings, Optional)}, with the component documents taken from another folder. */
    public static List<Stack> addTo(final App app, final Settings settings, final Optional<String> account,
            final Path componentsDir) {
        List<Stack> stacks = new ArrayList<>();
        for (String region : settings.activeRegions()) {
            stacks.add(new NetworkStack(app, props(account, region,
                    "GPU host network in " + region + ": VPC, security groups (container-testing, production "
                            + "hosts, image builder) and their IDs in SSM under " + settings.ssmNames().prefix()),
                    settings));
        }
        Stack pipeline = new HostImagePipelineStack(app, props(account, settings.buildRegion(),
                "GPU host image pipelines: EC2 Image Builder builds the host AMI of each image variant ("
                        + String.join(", ", settings.imageVariants().stream().map(ImageVariant::name).toList())
                        + ") in " + settings.buildRegion() + ", tests it, copies it to " + settings.activeRegions().size()
                        + " regions and publishes each region's AMI ID at " + settings.ssmNames().hostAmiId("<variant>")),
                settings, componentsDir);
        // With sharing, each region's snapshot key must exist before a build distributes to that region.
        if (settings.imagePipeline().sharing().isActive()) {
            for (String region : settings.activeRegions()) {
                Stack key = new AmiKeyStack(app, props(account, region, "Key that encrypts the GPU host AMIs' "
                        + "snapshots in " + region + ", usable by the accounts they are shared with"), settings, region);
                pipeline.addStackDependency(key);
                stacks.add(key);
            }
            // Every account that launches or copies the AMIs gets the network and the channel writer role.
            stacks.add(new WorkloadBaselineStackSetStack(app, props(account, settings.buildRegion(),
                    "StackSet that deploys the GPU host network and the release channel writer role into every "
                            + "workload account in " + settings.activeRegions().size() + " regions"), settings,
                    new WorkloadBaselineTemplate(app, "WorkloadBaselineTemplate", settings)));
        }
        // Deploy order only (the pipeline reads its subnet and group from SSM at deploy time): with
        // `cdk deploy --concurrency`, the build region's network is deployed first, the other regions alongside.
        pipeline.addStackDependency(stacks.get(settings.activeRegions().indexOf(settings.buildRegion())));
        stacks.add(pipeline);
        settings.devInstance().ifPresent(dev -> stacks.add(new DevInstanceStack(app, props(account, dev.region(),
                "Personal GPU dev instance of " + dev.developer() + " (" + dev.instanceType()
                        + ", container-testing group, Session Manager access)"), settings, componentsDir)));
        settings.ci().ifPresent(ci -> stacks.add(new CiDeployRoleStack(app, props(account, settings.buildRegion(),
                "Role that GitHub Actions of " + ci.repository() + " assume through OIDC to deploy and build images"),
                settings)));
        return stacks;
    }

    private static StackProps props(final Optional<String> account, final String region, final String description) {
        return StackProps.builder()
                .env(Environment.builder().account(account.orElse(null)).region(region).build())
                .description(description)
                .analyticsReporting(false)
                .build();
    }
}
