package com.fractal.gpuhost.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.GpuHostStacks;
import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SettingsLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/**
 * A changed document or script gives a new component version; an unchanged one keeps its version.
 * Synthesizes the pipeline stack from copies of components/ and host-scripts/: as they are, with one
 * document changed, with only a comment added to it (Image Builder receives the file as it is, comment
 * included, and a component's data cannot change under the same version), and with one script changed.
 */
class ContentVersionTest {
    private static Map<String, String> original;
    private static Map<String, String> documentChanged;
    private static Map<String, String> scriptChanged;
    private static Map<String, String> commentAdded;

    @BeforeAll
    static void synthesize() throws IOException {
        original = versions(copyOfRepo());
        Path withDocument = copyOfRepo();
        Path validate = withDocument.resolve("components/validate.yml");
        String document = Files.readString(validate);
        assertTrue(document.contains("timeoutSeconds: 900"));
        Files.writeString(validate, document.replace("timeoutSeconds: 900", "timeoutSeconds: 901"));
        documentChanged = versions(withDocument);
        Path withComment = copyOfRepo();
        Files.writeString(withComment.resolve("components/validate.yml"), "\n# changed\n",
                java.nio.file.StandardOpenOption.APPEND);
        commentAdded = versions(withComment);
        Path withScript = copyOfRepo();
        Files.writeString(withScript.resolve("host-scripts/versions.env"), "\n# changed\n",
                java.nio.file.StandardOpenOption.APPEND);
        scriptChanged = versions(withScript);
    }

    @Test
    void sameContentSameVersion() {
        assertEquals(ContentVersion.of("a", "b"), ContentVersion.of("a", "b"));
        assertNotEquals(ContentVersion.of("ab"), ContentVersion.of("a", "b"));
        assertTrue(ContentVersion.of("x").matches("1\\.[0-9]{1,10}\\.[0-9]{1,10}"));
    }

    @Test
    void aChangedDocumentGetsANewVersionAndTheOthersKeepTheirs() {
        assertNotEquals(original.get("fractal-gpu-host-validate"), documentChanged.get("fractal-gpu-host-validate"));
        for (String unchanged : new String[] {"fractal-gpu-host-setup", "fractal-gpu-host-ami-setup", "fractal-gpu-host-test"}) {
            assertEquals(original.get(unchanged), documentChanged.get(unchanged), unchanged);
        }
        assertNotEquals(original.get("recipe"), documentChanged.get("recipe"));
    }

    @Test
    void aCommentIsPartOfTheDataSoItGivesThatComponentANewVersion() {
        assertNotEquals(original.get("fractal-gpu-host-validate"), commentAdded.get("fractal-gpu-host-validate"));
        for (String unchanged : new String[] {"fractal-gpu-host-setup", "fractal-gpu-host-ami-setup", "fractal-gpu-host-test"}) {
            assertEquals(original.get(unchanged), commentAdded.get(unchanged), unchanged);
        }
    }

    @Test
    void aChangedScriptGivesNewVersionsToTheComponentsThatRunTheScripts() {
        // Every component runs the scripts.
        for (String name : new String[] {"fractal-gpu-host-setup", "fractal-gpu-host-ami-setup", "fractal-gpu-host-validate", "fractal-gpu-host-test"}) {
            assertNotEquals(original.get(name), scriptChanged.get(name), name);
        }
        assertNotEquals(original.get("recipe"), scriptChanged.get("recipe"));
    }

    /** Component name to version, and "recipe" to the recipe's version. */
    private static Map<String, String> versions(final Path repo) {
        Map<String, Object> context = new HashMap<>(TestApps.defaultContext());
        context.put("activeRegions", java.util.List.of("us-east-1"));
        App app = new App(software.amazon.awscdk.AppProps.builder().context(context)
                .outdir(repo.resolve("cdk.out").toString()).build());
        Settings settings = SettingsLoader.load(ContextSource.of(context), repo.resolve("host-scripts"));
        Stack stack = GpuHostStacks.addTo(app, settings, Optional.empty(), repo.resolve("components")).stream()
                .filter(HostImagePipelineStack.class::isInstance).findFirst().orElseThrow();
        Template template = Template.fromStack(stack);
        Map<String, String> versions = template.findResources("AWS::ImageBuilder::Component").values().stream()
                .map(r -> (Map<?, ?>) r.get("Properties"))
                .collect(Collectors.toMap(p -> (String) p.get("Name"), p -> (String) p.get("Version")));
        versions.put("recipe", (String) ((Map<?, ?>) template.findResources("AWS::ImageBuilder::ImageRecipe")
                .values().iterator().next().get("Properties")).get("Version"));
        return versions;
    }

    private static Path copyOfRepo() throws IOException {
        Path copy = Files.createTempDirectory("content-version-");
        for (String folder : new String[] {"components", "host-scripts"}) {
            Path source = Path.of(folder);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                    Path target = copy.resolve(source.relativize(file).toString().isEmpty() ? folder
                            : folder + "/" + source.relativize(file));
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(file, target);
                    }
                }
            }
        }
        return copy;
    }
}
