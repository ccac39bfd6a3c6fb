package com.fractal.gpuhost.baseline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.settings.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import software.amazon.awscdk.Lazy;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.cxapi.CloudFormationStackArtifact;
import software.constructs.Construct;

/**
 * The workload baseline's template, synthesized from {@link WorkloadBaselineStack} in a stage of its own (no
 * environment, so nothing account- or region-specific can enter it), for the StackSet to embed as its
 * TemplateBody. The stage is a nested cloud assembly: `cdk deploy --all` deploys top-level stacks only, so the
 * baseline is never deployed into the build account by itself. The app's checks run over it like over
 * every stack (the stage gets the same cdk-nag packs).
 */
public final class WorkloadBaselineTemplate {
    /** CloudFormation's limit for a TemplateBody given inline. */
    public static final int MAX_TEMPLATE_BODY_BYTES = 51_200;

    private final Stage stage;
    private final WorkloadBaselineStack stack;

    public WorkloadBaselineTemplate(final Construct scope, final String id, final Settings settings) {
        stage = new Stage(scope, id);
        stack = new WorkloadBaselineStack(stage, settings.names().workloadBaselineStackSet(), settings);
    }

    public WorkloadBaselineStack stack() {
        return stack;
    }

    public Stage stage() {
        return stage;
    }

    /**
     * The template as compact JSON, resolved when the StackSet's stack is synthesized: the app synthesizes
     * nested stages first, so the stage's checks have run by then.
     */
    public String body() {
        return Lazy.string(this::compactTemplate);
    }

    private String compactTemplate() {
        CloudFormationStackArtifact artifact = stage.synth().getStackByName(stack.getStackName());
        try {
            ObjectMapper json = new ObjectMapper();
            return json.writeValueAsString(json.readTree(Path.of(artifact.getAssembly().getDirectory(),
                    artifact.getTemplateFile()).toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
