package com.fractal.gpuhost.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.ToolSettingsFile;
import com.fractal.gpuhost.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CI script uses the regions and SSM names the stacks were synthesized with, -c overrides included. */
class BuildImageScriptTest {
    @Test
    void theScriptReadsTheResolvedSettingsNotTheDefaults() throws IOException, InterruptedException {
        Settings settings = TestApps.settings(Map.of("ssmPrefix", "/probe", "activeRegions", "eu-west-1,us-east-1",
                "buildRegion", "us-east-1"));
        Path assembly = Files.createTempDirectory("assembly-");
        ToolSettingsFile.write(settings, assembly);

        ProcessBuilder command = new ProcessBuilder("bash", "scripts/ci/build-image.sh", "--names");
        command.environment().put("ASSEMBLY_DIR", assembly.toString());
        Process names = command.start();
        String output = new String(names.getInputStream().readAllBytes());
        String errors = new String(names.getErrorStream().readAllBytes());

        assertEquals(0, names.waitFor(), errors);
        assertEquals("buildRegion=" + settings.buildRegion() + "\n"
                + "activeRegions=" + String.join(" ", settings.activeRegions()) + "\n"
                + "variant=ubuntu24-r580\n"
                + "pipelineArnParameter=" + settings.ssmNames().imagePipelineArn("ubuntu24-r580") + "\n"
                + "amiIdPath=" + settings.ssmNames().amiIdPath() + "/ubuntu24-r580\n", output);
        assertEquals("buildRegion=us-east-1\nactiveRegions=eu-west-1 us-east-1\nvariant=ubuntu24-r580\n"
                + "pipelineArnParameter=/probe/image/ubuntu24-r580/pipeline-arn\n"
                + "amiIdPath=/imagebuilder/probe/ubuntu24-r580\n", output);
    }
}
