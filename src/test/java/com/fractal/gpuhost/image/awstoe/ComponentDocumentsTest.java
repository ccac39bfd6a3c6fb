package com.fractal.gpuhost.image.awstoe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.image.BuildLogs;
import com.fractal.gpuhost.image.HostComponents;
import com.fractal.gpuhost.settings.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.assertions.Template;

/**
 * The AWSTOE documents of components/, both as the files hold them and as the synthesized pipeline stack hands
 * them to Image Builder (the same text): every rule of the validator, shellcheck over every bash command, and the
 * contract with host-scripts/: the same fetch steps open every document, each further step runs one entry
 * script, and the documents hold no logic of their own.
 */
class ComponentDocumentsTest {
    private static final Path COMPONENTS = Path.of("components");
    private static final Path HOST_SCRIPTS = Path.of("host-scripts");
    private static final String SCRIPTS_PARAMETER = "HostScriptsS3Uri";
    /** Issue 12 adds it to host-scripts/; until that branch is merged it is expected by name only. */
    private static final String VERSION_MANIFEST_SCRIPT = "write_version_manifest.sh";
    private static final String MANIFEST = "{{ HostScriptsDir }}/version-manifest.json";
    /** A document's own bash step: strict mode, then one entry script with its variables and arguments. */
    private static final Pattern RUNS_ENTRY_SCRIPT = Pattern.compile(
            "([A-Z_]+=(\"[^\"]*\"|[a-z]+) )*bash \"\\{\\{ HostScriptsDir }}/([a-z0-9_]+\\.sh)\"( \"[^\"]*\")*");
    private static final List<String> FETCH_STEPS = List.of("PrepareHostScriptsFolder", "DownloadHostScripts",
            "UnpackHostScripts");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{(.*?)}}");

    /** The documents as the synthesized pipeline stack holds them (components' Data), by source file name. */
    private static Map<String, AwstoeDocument> documents;
    /** The files of components/, by file name. */
    private static Map<String, AwstoeDocument> sources;

    @BeforeAll
    static void loadDocuments() {
        sources = new TreeMap<>();
        ComponentValidator.loadAll(COMPONENTS).forEach(document -> sources.put(document.name(), document));
        documents = synthesizedDocuments(sources);
    }

    /** Each component's Data in the default app's pipeline stack, named after the file whose name it carries. */
    private static Map<String, AwstoeDocument> synthesizedDocuments(final Map<String, AwstoeDocument> files) {
        TestApps.Synthesized app = TestApps.synthesize(Map.of());
        Settings settings = app.settings();
        Map<String, String> fileByName = new TreeMap<>();
        files.forEach((file, document) -> fileByName.put(document.root().path("name").asText(), file));
        Map<String, AwstoeDocument> synthesized = new TreeMap<>();
        Template.fromStack(app.stack(settings.names().imagePipelineStack()))
                .findResources("AWS::ImageBuilder::Component").values().forEach(resource -> {
                    Map<?, ?> properties = (Map<?, ?>) resource.get("Properties");
                    String file = fileByName.get(String.valueOf(properties.get("Name")));
                    assertTrue(file != null, "a component whose name no file of components/ carries: "
                            + properties.get("Name"));
                    synthesized.put(file, AwstoeDocument.parse("synthesized " + file,
                            String.valueOf(properties.get("Data"))));
                });
        return synthesized;
    }

    @Test
    void everyDocumentPassesEveryRuleAsWrittenAndAsSynthesized() {
        List<Finding> findings = new ArrayList<>();
        sources.values().forEach(document -> findings.addAll(ComponentValidator.validate(document)));
        documents.values().forEach(document -> findings.addAll(ComponentValidator.validate(document)));
        assertEquals(List.of(), findings, () -> findings.size() + " finding(s) in components/:\n"
                + ComponentRulesTest.lines(findings));
        assertEquals(8, sources.size() + documents.size(), "four files, four synthesized components");
    }

    /** Synthesis only fills in parameter values (on the recipe): a component's data is its file, byte for byte. */
    @Test
    void imageBuilderReceivesEachFileAsItIs() {
        assertEquals(sources.keySet(), documents.keySet());
        sources.forEach((file, source) -> assertEquals(source.source(), documents.get(file).source(),
                file + ": the synthesized component data differs from the file"));
    }

    /**
     * A reference to a parameter the document does not declare fails the check (AWSTOE would refuse it at build
     * time): host-setup.yml with one declaration removed.
     */
    @Test
    void aReferenceToAnUndeclaredParameterFailsTheCheck() {
        String source = sources.get("host-setup.yml").source();
        String declaration = "  - DriverMirrorRegion:\n      type: string\n";
        assertTrue(source.contains(declaration), "host-setup.yml declares DriverMirrorRegion");
        String description = source.substring(source.indexOf(declaration) + declaration.length());
        String undeclared = source.replace(declaration + description.substring(0, description.indexOf('\n') + 1), "");
        List<Finding> findings = ComponentValidator.validate(AwstoeDocument.parse("host-setup.yml", undeclared));
        assertEquals(List.of("ParametersDeclaredBeforeUse"), findings.stream().map(Finding::rule).distinct().toList(),
                () -> ComponentRulesTest.lines(findings));
        assertTrue(findings.get(0).toString().contains("[phase build, step RunSetupGpuHost]")
                && findings.get(0).message().startsWith("'{{ DriverMirrorRegion }}' is not a declared parameter"),
                findings.get(0).toString());
    }

    /**
     * AWSTOE has no include: each document writes the fetch steps itself. They are the same in every document:
     * the constants that name the folders and the three steps that open the first phase.
     */
    @Test
    void theFetchStepsAreTheSameInEveryDocument() {
        AwstoeDocument first = sources.get("host-setup.yml");
        for (AwstoeDocument document : sources.values()) {
            assertEquals(first.root().get("constants"), document.root().get("constants"), document.name());
            List<AwstoeDocument.Step> steps = document.phases().get(0).steps();
            for (int i = 0; i < FETCH_STEPS.size(); i++) {
                assertEquals(first.phases().get(0).steps().get(i).node(), steps.get(i).node(),
                        document.name() + " " + FETCH_STEPS.get(i));
            }
            assertEquals(FETCH_STEPS.size(), document.steps().stream()
                    .filter(step -> FETCH_STEPS.contains(step.name())).count(), document.name() + " fetches once");
        }
        List<String> paths = first.constants().stream().map(constant -> constant.getValue().path("value").asText())
                .toList();
        assertEquals(List.of("/var/tmp/host-setup", "/var/tmp/host-setup/host-scripts.zip",
                "/var/tmp/host-setup/host-scripts"), paths, "the work folder, and the zip and scripts inside it");
    }

    @Test
    void oneDocumentPerStepWithItsPhase() {
        Map<String, List<String>> phases = new TreeMap<>();
        documents.forEach((name, document) -> phases.put(name,
                document.phases().stream().map(AwstoeDocument.Phase::name).toList()));
        assertEquals(Map.of(
                "host-setup.yml", List.of("build"),
                "ami-setup.yml", List.of("build"),
                "validate.yml", List.of("validate"),
                "test.yml", List.of("test")), phases);
        assertEquals(Set.copyOf(documents.keySet()), Set.copyOf(sources.keySet()), "one document per file");
    }

    @Test
    void everyStepAbortsOnFailureAndEveryCommandHasATimeout() {
        List<String> missing = new ArrayList<>();
        for (AwstoeDocument document : documents.values()) {
            for (AwstoeDocument.Step step : document.steps()) {
                String where = document.name() + " " + step.phase() + "/" + step.name();
                if (!"Abort".equals(step.node().path("onFailure").asText())) {
                    missing.add(where + ": onFailure: Abort");
                }
                if (!step.action().equals("Reboot") && !step.node().has("timeoutSeconds")) {
                    missing.add(where + ": timeoutSeconds");
                }
            }
        }
        assertEquals(List.of(), missing, "every step matters to the image, and none may hang a build");
    }

    @Test
    void eachStepRunsTheEntryScriptItsNameSays() {
        assertEquals(Map.of(
                "host-setup.yml", List.of("DownloadGridDriver S3Download", "WaitForHost wait_for_host.sh",
                        "RunSetupGpuHost setup_gpu_host.sh", "RebootToLoadDriver Reboot"),
                "ami-setup.yml", List.of("WaitForHost wait_for_host.sh",
                        "RunSetupAmiHost setup_ami_host.sh",
                        "RemoveHostScripts remove_host_scripts.sh"),
                "validate.yml", List.of("WriteVersionManifest " + VERSION_MANIFEST_SCRIPT,
                        "UploadVersionManifest S3Upload", "RunValidateAmiHost validate_ami_host.sh",
                        "RemoveHostScripts remove_host_scripts.sh"),
                "test.yml", List.of("WaitForHost wait_for_host.sh", "RunTestAmiHost test_ami_host.sh",
                        "RemoveHostScripts remove_host_scripts.sh")),
                ownSteps(documents));
    }

    @Test
    void everyDocumentFetchesTheScriptsFromTheHostScriptsS3UriParameterFirst() {
        for (AwstoeDocument document : documents.values()) {
            assertTrue(document.parameters().stream().anyMatch(parameter -> parameter.getKey().equals(SCRIPTS_PARAMETER)
                    && "string".equals(parameter.getValue().path("type").asText())),
                    document.name() + " declares the string parameter " + SCRIPTS_PARAMETER);
            List<AwstoeDocument.Step> steps = document.steps();
            assertEquals(FETCH_STEPS, steps.subList(0, 3).stream().map(AwstoeDocument.Step::name).toList(),
                    document.name() + " starts by fetching the scripts");
            List<String> sources = new ArrayList<>();
            steps.get(1).inputs().forEach(input -> sources.add(input.path("source").asText()));
            assertEquals(List.of("{{ " + SCRIPTS_PARAMETER + " }}"), sources, document.name() + ": the S3Download source");
            assertTrue(steps.get(2).bashCommands().stream().anyMatch(command -> command.startsWith(
                    "python3 -m zipfile -e ")), document.name() + " unpacks the zip");
            List<String> otherDownloads = new ArrayList<>();
            steps.subList(3, steps.size()).stream().filter(step -> step.action().equals("S3Download"))
                    .forEach(step -> step.inputs().forEach(input -> otherDownloads.add(step.name() + " "
                            + input.path("source").asText() + " -> " + input.path("destination").asText())));
            assertEquals(document.name().endsWith("host-setup.yml")
                    ? List.of("DownloadGridDriver s3://{{ DriverMirrorBucket }}/{{ GridDriverKey }} -> "
                            + "{{ HostScriptsWorkDir }}/nvidia-grid-driver.run")
                    : List.of(), otherDownloads, document.name() + ": downloads besides the scripts");
        }
    }

    /** Part 1 is given the runfile fetched before it, so it checks it before any change (issue 19). */
    @Test
    void hostSetupFetchesTheGridRunfileIntoItsWorkFolderAndHandsItToPartOne() {
        AwstoeDocument document = documents.get("host-setup.yml");
        List<String> names = document.steps().stream().map(AwstoeDocument.Step::name).toList();
        AwstoeDocument.Step download = document.steps().get(names.indexOf("DownloadGridDriver"));
        String runfile = download.inputs().get(0).path("destination").asText();
        assertTrue(runfile.startsWith("{{ HostScriptsWorkDir }}/"), runfile + " lies in the folder part 2 removes");
        AwstoeDocument.Step setup = document.steps().get(names.indexOf("RunSetupGpuHost"));
        assertTrue(setup.bashCommands().get(1).contains("NVIDIA_GRID_DRIVER_RUNFILE=\"" + runfile + "\" "),
                setup.bashCommands().get(1));
        assertTrue(names.indexOf("DownloadGridDriver") < names.indexOf("RunSetupGpuHost"), names.toString());
    }

    @Test
    void theDocumentsHoldNoLogicOnlyEntryScriptsThatExist() {
        Set<String> shipped = new TreeSet<>();
        try (var files = Files.list(HOST_SCRIPTS)) {
            files.map(file -> file.getFileName().toString()).forEach(shipped::add);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (AwstoeDocument document : sources.values()) {
            for (AwstoeDocument.Step step : document.steps()) {
                if (!step.action().equals("ExecuteBash") || FETCH_STEPS.contains(step.name())) {
                    continue;
                }
                List<String> commands = step.bashCommands();
                String where = document.name() + " " + step.name();
                assertEquals(2, commands.size(), where + ": strict mode and one entry script: " + commands);
                assertEquals("set -euo pipefail", commands.get(0), where);
                Matcher matcher = RUNS_ENTRY_SCRIPT.matcher(commands.get(1));
                assertTrue(matcher.matches(), where + " runs an entry script and nothing else: " + commands.get(1));
                String script = matcher.group(3);
                assertTrue(shipped.contains(script),
                        where + " runs " + script + ", which host-scripts/ does not have");
            }
        }
    }

    @Test
    void everyReferenceSitsOnOneLine() {
        for (AwstoeDocument document : documents.values()) {
            document.source().lines().filter(line -> line.contains("{{")).forEach(line -> assertTrue(
                    line.lastIndexOf("}}") > line.lastIndexOf("{{"), document.name() + ": a {{ }} reference broken "
                            + "across lines: " + line));
        }
    }

    /** Each document holds the same 46 lines that fetch the scripts; the rest stays short. */
    @Test
    void componentsStayShort() throws IOException {
        long lines = 0;
        for (AwstoeDocument document : sources.values()) {
            lines += document.source().lines().count();
        }
        assertTrue(lines <= 430, "components/*.yml hold " + lines + " lines; logic belongs in host-scripts/");
    }

    @Test
    void validateUploadsTheVersionManifestItWroteToTheBuildLogBucket() {
        List<AwstoeDocument.Step> steps = documents.get("validate.yml").steps();
        AwstoeDocument.Step write = step(steps, "WriteVersionManifest");
        assertEquals("IMAGE_VARIANT=\"{{ ImageVariant }}\" bash \"{{ HostScriptsDir }}/" + VERSION_MANIFEST_SCRIPT
                + "\" \"" + MANIFEST + "\"", write.bashCommands().get(1));
        AwstoeDocument.Step upload = step(steps, "UploadVersionManifest");
        assertEquals("S3Upload", upload.action());
        assertEquals(1, upload.inputs().size());
        assertEquals(MANIFEST, upload.inputs().get(0).path("source").asText());
        assertEquals("s3://{{ BuildLogBucket }}/" + BuildLogs.MANIFESTS_PREFIX + "/{{ ImageName }}/{{ ImageVersion }}.json",
                upload.inputs().get(0).path("destination").asText());
        assertTrue(steps.indexOf(write) < steps.indexOf(upload)
                && steps.indexOf(upload) < steps.indexOf(step(steps, "RemoveHostScripts")));
    }

    private static AwstoeDocument.Step step(final List<AwstoeDocument.Step> steps, final String name) {
        return steps.stream().filter(step -> step.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no step " + name));
    }

    /** Per document, its steps after the fetch steps: "name script" for bash steps, "name action" otherwise. */
    static Map<String, List<String>> ownSteps(final Map<String, AwstoeDocument> byName) {
        Map<String, List<String>> own = new TreeMap<>();
        byName.forEach((name, document) -> own.put(name, document.steps().stream()
                .filter(step -> !FETCH_STEPS.contains(step.name()))
                .map(step -> {
                    Matcher matcher = step.bashCommands().size() == 2
                            ? RUNS_ENTRY_SCRIPT.matcher(step.bashCommands().get(1)) : null;
                    return step.name() + " " + (matcher != null && matcher.matches() ? matcher.group(3) : step.action());
                })
                .toList()));
        return own;
    }

    /** The contract with the host scripts: every entry script learns the variant as IMAGE_VARIANT. */
    @Test
    void everyEntryScriptIsGivenTheVariantFromTheImageVariantParameter() {
        for (String file : List.of("host-setup.yml", "ami-setup.yml", "validate.yml", "test.yml")) {
            AwstoeDocument document = documents.get(file);
            assertTrue(document.parameters().stream().anyMatch(p -> p.getKey().equals("ImageVariant")), file);
            for (AwstoeDocument.Step step : document.steps()) {
                String commands = String.join("\n", step.bashCommands());
                if (commands.matches("(?s).*/(setup_gpu_host|setup_ami_host|validate_ami_host|test_ami_host|"
                        + "write_version_manifest)\\.sh.*")) {
                    assertTrue(commands.contains("IMAGE_VARIANT=\"{{ ImageVariant }}\" "), file + " " + step.name());
                }
            }
        }
    }

    @Test
    void hostSetupRebootsWithAwstoeAfterPart1() {
        List<AwstoeDocument.Step> steps = documents.get("host-setup.yml").steps();
        AwstoeDocument.Step last = steps.get(steps.size() - 1);
        assertEquals("Reboot", last.action(), "host-setup.yml ends with AWSTOE's Reboot action");
        assertTrue(String.join("\n", steps.get(steps.size() - 2).bashCommands()).contains("setup_gpu_host.sh"),
                "the step before the reboot runs part 1");
    }

    @Test
    void everyBashCommandPassesShellcheck(@TempDir final Path dir) throws IOException, InterruptedException {
        List<Path> scripts = new ArrayList<>();
        List<AwstoeDocument> both = new ArrayList<>(sources.values());
        both.addAll(documents.values());
        for (AwstoeDocument document : both) {
            for (AwstoeDocument.Step step : document.steps()) {
                if (step.bashCommands().isEmpty()) {
                    continue;
                }
                String fileName = String.format("%02d-%s-%s-%s.sh", scripts.size() + 1,
                        document.name().replace(".yml", ""), step.phase(), step.name())
                        .replaceAll("[^A-Za-z0-9_.-]", "_");
                String script = "#!/usr/bin/env bash\n"
                        + withPlaceholders(String.join("\n", step.bashCommands())) + "\n";
                scripts.add(Files.writeString(dir.resolve(fileName), script, StandardCharsets.UTF_8));
            }
        }
        assertTrue(scripts.size() >= 2 * 16, "expected the bash steps of the files and of the synthesized "
                + "components, found " + scripts.size());

        List<String> command = new ArrayList<>(List.of("shellcheck", "--norc", "-s", "bash", "-f", "gcc"));
        scripts.forEach(script -> command.add(script.getFileName().toString()));
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("shellcheck is not installed (or not on PATH), so the bash commands of components/ cannot be "
                    + "checked; install it, e.g. 'apt-get install shellcheck' (" + e.getMessage() + ")");
            return;
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "shellcheck did not finish within 120 s");
        assertEquals("", output.strip(), "shellcheck findings in the bash commands of components/ "
                + "(file: <nn>-[synthesized_]<document>-<phase>-<step>.sh, line 1 is the added shebang):\n" + output);
        assertEquals(0, process.exitValue(), "shellcheck exit status; output:\n" + output);
    }

    /** Replaces each {{ ... }} reference, which AWSTOE substitutes before bash runs, with a harmless word. */
    private static String withPlaceholders(final String commands) {
        return REFERENCE.matcher(commands).replaceAll("placeholder");
    }
}
