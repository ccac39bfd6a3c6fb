package com.fractal.gpuhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.baseline.WorkloadBaselineStack;
import com.fractal.gpuhost.baseline.WorkloadBaselineStackSetStack;
import com.fractal.gpuhost.ci.CiDeployRoleStack;
import com.fractal.gpuhost.devinstance.DevInstanceStack;
import com.fractal.gpuhost.image.HostImagePipelineStack;
import com.fractal.gpuhost.network.NetworkStack;
import com.fractal.gpuhost.sharing.AmiKeyStack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;

/**
 * The three gates over every kind of stack the app deploys (the workload baseline that the StackSet embeds
 * included), in one configuration that has them all: cdk-nag's AwsSolutions and project packs with no
 * unsuppressed finding, cfn-lint with no error and no warning, and AWS Control Tower's proactive controls with
 * nothing but accepted risks (the project's gate script, as `npm test` runs it over the default assemblies).
 */
class GatesTest {
    private static final String NAG_RULES = "(AwsSolutions|FractalProject)-.*";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestApps.Synthesized app;
    /** The app's stacks, then those of its nested stages (the workload baseline, synthesized on its own). */
    private static List<Stack> stacks;

    @BeforeAll
    static void synthesize() {
        app = TestApps.synthesize(TestApps.EVERY_STACK);
        stacks = new ArrayList<>(app.stacks());
        app.stacks().get(0).getNode().getRoot().getNode().getChildren().stream().filter(Stage::isStage)
                .flatMap(stage -> stage.getNode().getChildren().stream()).filter(Stack::isStack)
                .map(Stack.class::cast).forEach(stacks::add);
    }

    /** A gate over a configuration that lacks a kind of stack would pass without ever seeing it. */
    @Test
    void theConfigurationHasEveryKindOfStack() {
        Set<String> kinds = new TreeSet<>();
        stacks.forEach(stack -> kinds.add(stack.getClass().getSimpleName()));
        assertEquals(new TreeSet<>(Stream.of(NetworkStack.class, HostImagePipelineStack.class, DevInstanceStack.class,
                CiDeployRoleStack.class, AmiKeyStack.class, WorkloadBaselineStackSetStack.class,
                WorkloadBaselineStack.class).map(Class::getSimpleName).toList()), kinds);
    }

    @Test
    void cdkNagFindsNothingUnsuppressed() {
        List<String> findings = new ArrayList<>();
        for (Stack stack : stacks) {
            StackMessages.errorsAndWarnings(stack, NAG_RULES).forEach(m -> findings.add(stack.getStackName() + " "
                    + m.getId() + ": " + StackMessages.text(m).lines().findFirst().orElse("")));
        }
        assertEquals(List.of(), findings);
    }

    /** One cfn-lint run over every template: each stack's, and each StackSet's embedded template as deployed. */
    @Test
    void cfnLintFindsNothingInAnyTemplate() throws IOException, InterruptedException {
        List<String> templates;
        try (Stream<Path> files = Files.list(assembly())) {
            templates = new ArrayList<>(files.map(Path::toString).filter(name -> name.endsWith(".template.json"))
                    .sorted().toList());
        }
        assertEquals(app.stacks().size(), templates.size(), "one template per stack");
        List<String> embedded = embeddedTemplates(templates);
        assertFalse(embedded.isEmpty(), "the workload baseline's StackSet embeds its template");
        templates.addAll(embedded);
        CfnLint.assertNoFindings(templates);
    }

    /** Each StackSet's TemplateBody, written to a file of its own. */
    private static List<String> embeddedTemplates(final List<String> templates) throws IOException {
        Path dir = Files.createTempDirectory("stackset-templates-");
        List<String> written = new ArrayList<>();
        for (String template : templates) {
            JsonNode resources = JSON.readTree(Path.of(template).toFile()).path("Resources");
            for (var it = resources.properties().iterator(); it.hasNext();) {
                var resource = it.next();
                if (resource.getValue().path("Type").asText().equals("AWS::CloudFormation::StackSet")) {
                    Path body = dir.resolve(resource.getKey() + ".template.json");
                    Files.writeString(body, resource.getValue().path("Properties").path("TemplateBody").asText());
                    written.add(body.toString());
                }
            }
        }
        return written;
    }

    @Test
    void theControlTowerGatePassesOverEveryTemplate() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "scripts/check-control-tower.sh",
                assembly().toString()));
        try (Stream<Path> nested = Files.list(assembly())) {
            nested.filter(dir -> dir.getFileName().toString().startsWith("assembly-")).map(Path::toString).sorted()
                    .forEach(command::add);
        }
        assertEquals(4, command.size(), () -> "the assembly and the baseline's nested assembly: " + command);
        Process gate = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(gate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, gate.waitFor(), output);
    }

    private static Path assembly() {
        return Path.of(app.assembly().getDirectory());
    }
}
