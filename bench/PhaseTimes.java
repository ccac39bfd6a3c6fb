import com.fractal.gpuhost.devinstance.DevInstanceStack;
import com.fractal.gpuhost.GpuHostStacks;
import com.fractal.gpuhost.image.HostImagePipelineStack;
import com.fractal.gpuhost.network.NetworkStack;
import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SettingsLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.StackProps;

/**
 * The benchmark's phase timer (bench/synth.sh --phases): the steps of GpuHostApp.main with a timestamp
 * after each, printed as "phase seconds" lines. With the argument "without-nag" it builds the same stacks
 * without cdk-nag's AwsSolutions aspect, which tells what the aspect costs during synth.
 */
public final class PhaseTimes {
    private static long last = ManagementFactory.getRuntimeMXBean().getStartTime();

    private PhaseTimes() {
    }

    public static void main(final String[] args) {
        boolean nag = args.length == 0 || !"without-nag".equals(args[0]);
        mark("jvm-start");
        App app = new App();
        mark("jsii-runtime-and-aws-cdk-lib-load");
        ContextSource context = ContextSource.of(app.getNode());
        Settings settings = SettingsLoader.load(context, Path.of("host-scripts"));
        mark("settings");
        if (nag) {
            GpuHostStacks.addTo(app, settings, Optional.empty());
        } else {
            for (String region : settings.activeRegions()) {
                new NetworkStack(app, props(region), settings);
            }
            new HostImagePipelineStack(app, props(settings.buildRegion()), settings, Path.of("components"));
            settings.devInstance().ifPresent(dev -> new DevInstanceStack(app, props(dev.region()), settings));
        }
        mark("construct-tree");
        app.synth();
        mark(nag ? "synth-with-cdk-nag" : "synth-without-cdk-nag");
    }

    private static StackProps props(final String region) {
        return StackProps.builder().env(Environment.builder().region(region).build()).analyticsReporting(false)
                .build();
    }

    private static void mark(final String phase) {
        long now = System.currentTimeMillis();
        System.out.printf("%s %.2f%n", phase, (now - last) / 1000.0);
        last = now;
    }
}
