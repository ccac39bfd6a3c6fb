package com.fractal.gpuhost;

import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.InvalidSettingsException;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SettingsLoader;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awscdk.App;

/** Entry point: loads the settings and adds the stacks. A settings problem ends it before any template. */
public final class GpuHostApp {
    /** Exit code for invalid settings, distinct from a crash. */
    static final int INVALID_SETTINGS = 2;
    static final Path HOST_SCRIPTS_DIR = Path.of("host-scripts");
    static final Path COMPONENTS_DIR = Path.of("components");

    private GpuHostApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        ContextSource context = ContextSource.of(app.getNode());
        SettingsLoader.unknownKeyWarnings(context).forEach(warning -> System.err.println("WARNING: " + warning));
        Settings settings;
        try {
            settings = SettingsLoader.load(context, HOST_SCRIPTS_DIR);
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            System.exit(INVALID_SETTINGS);
            return;
        }
        GpuHostStacks.addTo(app, settings, Optional.ofNullable(System.getenv("CDK_DEFAULT_ACCOUNT")));
        app.synth();
        ToolSettingsFile.write(settings, Path.of(app.getOutdir()));
    }
}
