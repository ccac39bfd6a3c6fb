package com.fractal.gpuhost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.cxapi.CloudAssembly;

/**
 * The two gates over every stack, the dev and CI role stacks included: cdk-nag's AwsSolutions and project packs
 * with no unsuppressed finding, and cfn-lint with no error and no warning.
 */
class GatesTest {
    private static final String NAG_RULES = "(AwsSolutions|FractalProject)-.*";
    private static TestApps.Synthesized app;

    @BeforeAll
    static void synthesize() {
        app = TestApps.synthesize(Map.of("developer", "alice", "sshCidr", "203.0.113.0/24",
                "githubRepo", "octo-org/gpu-host-infra", "devImage", "stable", "notificationEmails", "ops@example.com",
                "slackWorkspaceId", "T07EA123LEP", "slackChannelId", "C07EZ1ABC23"));
    }

    @Test
    void cdkNagFindsNothingUnsuppressed() {
        List<String> findings = new ArrayList<>();
        for (Stack stack : app.stacks()) {
            StackMessages.errorsAndWarnings(stack, NAG_RULES).forEach(m -> findings.add(stack.getStackName() + " "
                    + m.getId() + ": " + StackMessages.text(m).lines().findFirst().orElse("")));
        }
        assertEquals(List.of(), findings);
    }

    @Test
    void cfnLintFindsNothingInAnyTemplate() throws IOException, InterruptedException {
        CloudAssembly assembly = app.assembly();
        List<String> templates;
        try (Stream<Path> files = Files.list(Path.of(assembly.getDirectory()))) {
            templates = files.map(Path::toString).filter(name -> name.endsWith(".template.json")).sorted().toList();
        }
        assertEquals(app.stacks().size(), templates.size(), "one template per stack");
        CfnLint.assertNoFindings(templates);
    }
}
