package com.fractal.gpuhost.image.awstoe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AWSTOE documents in components/: every rule of the validator, shellcheck over every bash command,
 * and the contract with the host-scripts asset (script names, the HostScriptsS3Uri parameter).
 */
class ComponentDocumentsTest {
    private static final Path COMPONENTS = Path.of("components");
    private static final String SCRIPTS_PARAMETER = "HostScriptsS3Uri";
    /** The files of host-scripts/ that the documents run or check for, by their names in the asset. */
    private static final Set<String> HOST_SCRIPTS = Set.of("setup_ubuntu20_host.sh", "setup_ubuntu20_ami_host.sh",
            "verify_no_source_left.sh", "userdata-bootstrap.sh");
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{(.*?)}}");
    private static final Pattern SCRIPT_NAME = Pattern.compile("[A-Za-z0-9_.-]+\\.sh\\b");

    private static Map<String, ComponentDocument> documents;

    @BeforeAll
    static void loadDocuments() {
        documents = new TreeMap<>();
        ComponentValidator.loadAll(COMPONENTS).forEach(document -> documents.put(document.name(), document));
    }

    @Test
    void everyDocumentPassesEveryRule() {
        List<Finding> findings = documents.values().stream()
                .flatMap(document -> ComponentValidator.validate(document).stream())
                .toList();
        assertEquals(List.of(), findings, () -> findings.size() + " finding(s) in components/:\n"
                + ComponentRulesTest.lines(findings));
    }

    @Test
    void oneDocumentPerStepWithItsPhase() {
        Map<String, List<String>> phases = new TreeMap<>();
        documents.forEach((name, document) -> phases.put(name,
                document.phases().stream().map(ComponentDocument.Phase::name).toList()));
        assertEquals(Map.of(
                "host-setup.yml", List.of("build"),
                "ami-setup.yml", List.of("build"),
                "validate.yml", List.of("validate"),
                "test.yml", List.of("test")), phases);
    }

    @Test
    void everyStepAbortsOnFailureAndEveryCommandHasATimeout() {
        List<String> missing = new ArrayList<>();
        for (ComponentDocument document : documents.values()) {
            for (ComponentDocument.Step step : document.steps()) {
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
    void buildDocumentsDownloadTheAssetFromTheHostScriptsS3UriParameter() {
        for (String name : List.of("host-setup.yml", "ami-setup.yml")) {
            ComponentDocument document = documents.get(name);
            assertTrue(document.parameters().stream().anyMatch(parameter -> parameter.getKey().equals(SCRIPTS_PARAMETER)
                    && "string".equals(parameter.getValue().path("type").asText())),
                    name + " declares the string parameter " + SCRIPTS_PARAMETER);
            List<ComponentDocument.Step> downloads = document.steps().stream()
                    .filter(step -> step.action().equals("S3Download")).toList();
            assertEquals(1, downloads.size(), name + " downloads the asset in one S3Download step");
            List<String> sources = new ArrayList<>();
            downloads.get(0).inputs().forEach(input -> sources.add(input.path("source").asText()));
            assertEquals(List.of("{{ " + SCRIPTS_PARAMETER + " }}"), sources, name + ": the S3Download source");
        }
    }

    @Test
    void documentsRunTheHostScriptsByTheirNames() {
        assertTrue(commandsOf("host-setup.yml").contains("bash ./setup_ubuntu20_host.sh"));
        assertTrue(commandsOf("ami-setup.yml").contains("bash ./setup_ubuntu20_ami_host.sh"));
        assertTrue(commandsOf("ami-setup.yml").contains("verify_no_source_left.sh"));
        for (ComponentDocument document : documents.values()) {
            Set<String> unknown = new TreeSet<>();
            Matcher matcher = SCRIPT_NAME.matcher(commandsOf(document.name()));
            while (matcher.find()) {
                if (!HOST_SCRIPTS.contains(matcher.group())) {
                    unknown.add(matcher.group());
                }
            }
            assertEquals(Set.of(), unknown, document.name() + " names scripts that host-scripts/ does not have");
        }
    }

    @Test
    void hostSetupRebootsWithAwstoeAfterPart1() {
        List<ComponentDocument.Step> steps = documents.get("host-setup.yml").steps();
        ComponentDocument.Step last = steps.get(steps.size() - 1);
        assertEquals("Reboot", last.action(), "host-setup.yml ends with AWSTOE's Reboot action");
        assertTrue(String.join("\n", steps.get(steps.size() - 2).bashCommands()).contains("setup_ubuntu20_host.sh"),
                "the step before the reboot runs part 1");
    }

    @Test
    void everyBashCommandPassesShellcheck(@TempDir final Path dir) throws IOException, InterruptedException {
        List<Path> scripts = new ArrayList<>();
        for (ComponentDocument document : documents.values()) {
            for (ComponentDocument.Step step : document.steps()) {
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
        assertTrue(scripts.size() >= 20, "expected the documents' bash steps, found " + scripts.size());

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
                + "(file: <nn>-<document>-<phase>-<step>.sh, line 1 is the added shebang):\n" + output);
        assertEquals(0, process.exitValue(), "shellcheck exit status; output:\n" + output);
    }

    /** Every bash command of a document, one after the other. */
    private static String commandsOf(final String documentName) {
        return documents.get(documentName).steps().stream()
                .flatMap(step -> step.bashCommands().stream())
                .collect(Collectors.joining("\n"));
    }

    /** Replaces each {{ ... }} reference, which AWSTOE substitutes before bash runs, with a harmless word. */
    private static String withPlaceholders(final String commands) {
        return REFERENCE.matcher(commands).replaceAll("placeholder");
    }
}
