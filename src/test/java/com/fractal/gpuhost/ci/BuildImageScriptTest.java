package com.fractal.gpuhost.ci;

import com.fractal.gpuhost.TestApps;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fractal.gpuhost.settings.SsmNames;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The CI script reads the SSM parameters under the names the stacks give them. */
class BuildImageScriptTest {
    @Test
    void theScriptReadsTheNamesTheStacksUse() throws IOException, InterruptedException {
        Process names = new ProcessBuilder("bash", "scripts/ci/build-image.sh", "--names").start();
        String output = new String(names.getInputStream().readAllBytes());
        String errors = new String(names.getErrorStream().readAllBytes());
        assertEquals(0, names.waitFor(), errors);
        SsmNames expected = new SsmNames((String) TestApps.defaultContext().get("ssmPrefix"));
        assertEquals("pipelineArnParameter=" + expected.imagePipelineArn() + "\namiIdPath=" + expected.amiIdPath() + "\n",
                output);
    }
}
