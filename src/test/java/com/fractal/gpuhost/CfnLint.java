package com.fractal.gpuhost;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** cfn-lint, AWS's CloudFormation linter, as a gate of the tests: a missing cfn-lint fails, never skips. */
public final class CfnLint {
    private CfnLint() {
    }

    /** Fails with cfn-lint's findings unless it finds nothing in any of the templates. */
    public static void assertNoFindings(final List<String> templates) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("cfn-lint", "--format", "parseable", "--"));
        command.addAll(templates);
        Process lint;
        try {
            lint = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("cfn-lint is not installed (pip install cfn-lint): this gate cannot be skipped", e);
            return;
        }
        String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = lint.waitFor();
        assertTrue(output.isBlank() && exit == 0, () -> "cfn-lint exit " + exit + ":\n" + output);
    }
}
