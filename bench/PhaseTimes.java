import com.fractal.gpuhost.GpuHostApp;
import com.fractal.gpuhost.GpuHostStacks;
import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SettingsLoader;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awscdk.App;

/**
 * The benchmark's phase timer (bench/synth.sh --phases): the steps of GpuHostApp.main with a timestamp
 * after each, printed as "phase seconds" lines. With the argument "without-nag" it builds the same stacks
 * (GpuHostStacks, the app's own composition) without cdk-nag's AwsSolutions aspect, which tells what the
 * aspect costs during synth.
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
        GpuHostStacks.addTo(app, settings, Optional.empty());
        if (nag) {
            GpuHostApp.addNagChecks(app);
        }
        mark("construct-tree");
        app.synth();
        mark(nag ? "synth-with-cdk-nag" : "synth-without-cdk-nag");
    }

    private static void mark(final String phase) {
        long now = System.currentTimeMillis();
        System.out.printf("%s %.2f%n", phase, (now - last) / 1000.0);
        last = now;
    }
}
