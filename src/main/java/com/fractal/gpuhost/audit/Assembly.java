package com.fractal.gpuhost.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.audit.model.NagResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A synthesized cloud assembly as the audit reads it: the CloudFormation stacks its manifest.json names
 * (nested assemblies of CDK stages included), each with its template and its cdk-nag reports. Nothing is
 * synthesized: any assembly directory will do.
 */
public record Assembly(Path directory, List<StackTemplate> stacks) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYNTHESIZE = " (synthesize first: npm run synth)";
    private static final String NAG_SUFFIX = "-NagReport.json";
    /** Types no stack of the project makes, whose facts the report does not read: refused, not left out. */
    private static final Set<String> UNREAD = Set.of("AWS::AutoScaling::LaunchConfiguration", "AWS::EC2::Volume",
            "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress", "AWS::IAM::ManagedPolicy");

    /** Reads the assembly in this directory; an {@link AuditException} says what is missing or malformed. */
    public static Assembly read(final Path directory) {
        if (!Files.isDirectory(directory)) {
            throw new AuditException("no cloud assembly at " + directory + (Files.exists(directory)
                    ? ": it is a file, not a directory" : ": the directory does not exist" + SYNTHESIZE));
        }
        List<StackTemplate> stacks = new ArrayList<>();
        readInto(directory, stacks);
        if (stacks.isEmpty()) {
            throw new AuditException(directory.resolve("manifest.json") + " names no CloudFormation stack");
        }
        return new Assembly(directory, List.copyOf(stacks));
    }

    private static void readInto(final Path directory, final List<StackTemplate> stacks) {
        Path manifestFile = directory.resolve("manifest.json");
        if (!Files.isRegularFile(manifestFile)) {
            throw new AuditException(directory + " is not a cloud assembly: it has no manifest.json" + SYNTHESIZE);
        }
        JsonNode artifacts = readJson(manifestFile, "").path("artifacts");
        if (!artifacts.isObject()) {
            throw new AuditException(manifestFile + " is not a cloud assembly manifest: it has no \"artifacts\" object");
        }
        artifacts.fields().forEachRemaining(artifact -> {
            JsonNode properties = artifact.getValue().path("properties");
            switch (artifact.getValue().path("type").asText("")) {
                case "aws:cloudformation:stack" -> stacks.add(stack(directory, artifact.getKey(), artifact.getValue()));
                case "cdk:cloud-assembly" -> {
                    if (properties.path("directoryName").isTextual()) {
                        readInto(directory.resolve(properties.get("directoryName").asText()), stacks);
                    }
                }
                default -> {
                }
            }
        });
    }

    private static StackTemplate stack(final Path directory, final String id, final JsonNode artifact) {
        String name = artifact.path("properties").path("stackName").asText(id);
        String templateName = artifact.path("properties").path("templateFile").asText("");
        if (templateName.isBlank()) {
            throw new AuditException(directory.resolve("manifest.json") + ": stack " + name + " names no templateFile");
        }
        Path templateFile = directory.resolve(templateName);
        if (!Files.isRegularFile(templateFile)) {
            throw new AuditException("stack " + name + ": its template " + templateFile
                    + ", named in manifest.json, does not exist");
        }
        JsonNode template = readJson(templateFile, "stack " + name + ": ");
        if (!template.path("Resources").isObject()) {
            throw new AuditException("stack " + name + ": " + templateFile
                    + " is not a CloudFormation template: it has no \"Resources\" object");
        }
        template.path("Resources").properties().stream().filter(r -> UNREAD.contains(r.getValue().path("Type")
                .asText())).findFirst().ifPresent(r -> {
                    throw new AuditException("stack " + name + ": the report does not read " + r.getValue().path("Type")
                            .asText() + " (resource " + r.getKey() + "), which no stack of the project makes");
                });
        // aws://account/region; an environment-agnostic stack has neither.
        String[] environment = artifact.path("environment").asText("").replaceFirst("^aws://", "").split("/", 2);
        return new StackTemplate(name, environment.length == 2 ? environment[0] : "unknown-account",
                environment.length == 2 ? environment[1] : "unknown-region", templateFile.getFileName().toString(),
                template, nagResults(directory, name, template));
    }

    /** The lines of the stack's cdk-nag JSON reports, one per pack: {@code <Pack>-<stack>-NagReport.json}. */
    private static List<NagResult> nagResults(final Path directory, final String stack, final JsonNode template) {
        Map<String, String> logicalIds = new HashMap<>();
        template.path("Resources").fields().forEachRemaining(resource -> logicalIds.put(resource.getValue()
                .path("Metadata").path("aws:cdk:path").asText(resource.getKey()), resource.getKey()));
        List<NagResult> results = new ArrayList<>();
        List<Path> reports;
        try (Stream<Path> files = Files.list(directory)) {
            reports = files.filter(f -> f.getFileName().toString().matches("[^-]+-" + Pattern.quote(stack + NAG_SUFFIX)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new AuditException("cannot list " + directory + ": " + e.getMessage());
        }
        for (Path report : reports) {
            String file = report.getFileName().toString();
            String pack = file.substring(0, file.indexOf('-'));
            JsonNode lines = readJson(report, "cdk-nag report ").path("lines");
            if (!lines.isArray()) {
                throw new AuditException(file + " is not a cdk-nag report: it has no \"lines\" array");
            }
            lines.forEach(line -> results.add(new NagResult(stack, pack, line.path("ruleId").asText(),
                    line.path("resourceId").asText(), logicalIds.getOrDefault(line.path("resourceId").asText(),
                            line.path("resourceId").asText()), line.path("compliance").asText(),
                    line.path("exceptionReason").asText(), line.path("ruleLevel").asText())));
        }
        return List.copyOf(results);
    }

    private static JsonNode readJson(final Path file, final String context) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new AuditException(context + file + " is empty, not JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new AuditException(context + file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw new AuditException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
