package com.fractal.gpuhost;

import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.InvalidSettingsException;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SettingsLoader;
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.nag.ProjectChecks;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import io.github.cdklabs.cdknag.NagReportFormat;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stage;
import software.constructs.IConstruct;

/**
 * Entry point: loads the settings, adds the stacks behind cdk-nag's AwsSolutions and project checks, synthesizes, and
 * writes the resolved settings for the tools beside the templates. A settings problem ends it before any
 * template.
 */
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
        Optional<String> account = Optional.ofNullable(System.getenv("CDK_DEFAULT_ACCOUNT"));
        Settings settings;
        try {
            settings = SettingsLoader.load(context, HOST_SCRIPTS_DIR, account);
        } catch (InvalidSettingsException e) {
            System.err.println(e.getMessage());
            System.exit(INVALID_SETTINGS);
            return;
        }
        GpuHostStacks.addTo(app, settings, account);
        addNagChecks(app);
        app.synth();
        ToolSettingsFile.write(settings, Path.of(app.getOutdir()));
        AcceptedRisk.writeExceptions(Path.of(app.getOutdir()));
    }

    /**
     * cdk-nag's AwsSolutions pack and the project's own pack over every stack of the app: findings become error
     * annotations, and each pack writes a JSON report per stack into the assembly for the audit report.
     */
    public static void addNagChecks(final App app) {
        NagPackProps props = NagPackProps.builder().verbose(true).reportFormats(List.of(NagReportFormat.JSON)).build();
        // A nested stage (the workload baseline's template) is synthesized on its own: aspects do not cross into it.
        List<IConstruct> scopes = new ArrayList<>(List.of(app));
        app.getNode().getChildren().stream().filter(Stage::isStage).forEach(scopes::add);
        for (IConstruct scope : scopes) {
            Aspects.of(scope).add(new AwsSolutionsChecks(props));
            Aspects.of(scope).add(new ProjectChecks(props));
        }
    }
}
