package com.fractal.gpuhost.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.audit.model.NagResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A synthesized cloud assembly as the audit reads it: the CloudFormation stacks its manifest.json names
 * (nested assemblies of CDK stages included), each with its template and its cdk-nag reports. Nothing is
 * synthesized: any assembly directory will do.
 */
public record Assembly(Path directory, List<StackTemplate> stacks) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STACK = "aws:cloudformation:stack";
    private static final String NESTED = "cdk:cloud-assembly";
    private static final String NAG_SUFFIX = "-NagReport.json";

    /** Reads the assembly in this directory; an {@link AuditException} says what is missing or malformed. */
    public static Assembly read(final Path directory) {
        if (!Files.exists(directory)) {
            throw new AuditException("no cloud assembly at " + directory + ": the directory does not exist "
                    + "(synthesize first: npm run synth)");
        }
        if (!Files.isDirectory(directory)) {
            throw new AuditException("no cloud assembly at " + directory + ": it is a file, not a directory");
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
            throw new AuditException(directory + " is not a cloud assembly: it has no manifest.json "
                    + "(synthesize first: npm run synth)");
        }
        JsonNode manifest = readJson(manifestFile, "");
        JsonNode artifacts = manifest.path("artifacts");
        if (!manifest.isObject() || !artifacts.isObject()) {
            throw new AuditException(manifestFile + " is not a cloud assembly manifest: it has no \"artifacts\" object");
        }
        List<Path> nagReports = nagReports(directory);
        for (Iterator<Map.Entry<String, JsonNode>> it = artifacts.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> artifact = it.next();
            String id = artifact.getKey();
            JsonNode body = artifact.getValue();
            String type = body.path("type").asText("");
            JsonNode properties = body.path("properties");
            if (type.equals(STACK)) {
                stacks.add(stack(directory, manifestFile, id, body, properties, nagReports));
            } else if (type.equals(NESTED) && properties.path("directoryName").isTextual()) {
                readInto(directory.resolve(properties.get("directoryName").asText()), stacks);
            }
        }
    }

    private static StackTemplate stack(final Path directory, final Path manifestFile, final String id,
            final JsonNode body, final JsonNode properties, final List<Path> nagReports) {
        String name = properties.path("stackName").asText(id);
        JsonNode templateName = properties.path("templateFile");
        if (!templateName.isTextual() || templateName.asText().isBlank()) {
            throw new AuditException(manifestFile + ": stack " + name + " names no templateFile");
        }
        Path templateFile = directory.resolve(templateName.asText());
        if (!Files.isRegularFile(templateFile)) {
            throw new AuditException("stack " + name + ": its template " + templateFile
                    + ", named in manifest.json, does not exist");
        }
        JsonNode template = readJson(templateFile, "stack " + name + ": ");
        if (!template.isObject() || !template.path("Resources").isObject()) {
            throw new AuditException("stack " + name + ": " + templateFile
                    + " is not a CloudFormation template: it has no \"Resources\" object");
        }
        String[] environment = environment(body.path("environment").asText(""));
        Map<String, String> logicalIds = new HashMap<>();
        template.path("Resources").fields().forEachRemaining(resource -> logicalIds.put(resource.getValue()
                .path("Metadata").path("aws:cdk:path").asText(resource.getKey()), resource.getKey()));
        List<NagResult> nag = new ArrayList<>();
        for (Path report : nagReports) {
            String file = report.getFileName().toString();
            int dash = file.indexOf('-');
            if (dash > 0 && file.substring(dash + 1).equals(name + NAG_SUFFIX)) {
                String pack = file.substring(0, dash);
                JsonNode lines = readJson(report, "cdk-nag report ").path("lines");
                if (!lines.isArray()) {
                    throw new AuditException(file + " is not a cdk-nag report: it has no \"lines\" array");
                }
                lines.forEach(line -> nag.add(new NagResult(name, pack,
                        line.path("ruleId").asText(), line.path("resourceId").asText(), logicalIds.getOrDefault(line.path(
                                "resourceId").asText(), line.path("resourceId").asText()), line.path("compliance").asText(),
                        line.path("exceptionReason").asText(), line.path("ruleLevel").asText(),
                        line.path("ruleInfo").asText())));
            }
        }
        return new StackTemplate(name, environment[0], environment[1], templateFile.getFileName().toString(),
                template, List.copyOf(nag));
    }

    /** aws://account/region into {account, region}. */
    private static String[] environment(final String uri) {
        String prefix = "aws://";
        if (uri.startsWith(prefix)) {
            String[] parts = uri.substring(prefix.length()).split("/", 2);
            if (parts.length == 2) {
                return parts;
            }
        }
        return new String[] {"unknown-account", "unknown-region"};
    }

    private static List<Path> nagReports(final Path directory) {
        List<Path> reports = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + NAG_SUFFIX)) {
            files.forEach(reports::add);
        } catch (IOException e) {
            throw new AuditException("cannot list " + directory + ": " + e.getMessage());
        }
        reports.sort(null);
        return reports;
    }

    private static JsonNode readJson(final Path file, final String context) {
        String text = readText(file);
        try {
            JsonNode node = JSON.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new AuditException(context + file + " is empty, not JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new AuditException(context + file + " is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? ""
                            : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()
                                    + ")"));
        }
    }

    private static String readText(final Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AuditException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
