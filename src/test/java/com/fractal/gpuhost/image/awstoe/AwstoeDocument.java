package com.fractal.gpuhost.image.awstoe;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An AWSTOE component document as written in components/: its file name, its text (what Image Builder
 * receives as the component's inline data) and the parsed YAML tree. The accessors tolerate a malformed
 * tree (they skip what is not of the expected shape); reporting the shape is the rules' job.
 */
public record AwstoeDocument(String name, String source, JsonNode root) {
    public static final List<String> PHASE_ORDER = List.of("build", "validate", "test");

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A phase of the document, at its position in the phases list. */
    public record Phase(String name, int index, List<Step> steps) {
    }

    /** A step of a phase; the node is the step's YAML mapping. */
    public record Step(String phase, int index, JsonNode node) {
        /** The step's name, or "#n" (1-based position) when it has none. */
        public String name() {
            JsonNode name = node.get("name");
            return name != null && name.isTextual() ? name.asText() : "#" + (index + 1);
        }

        /** The action's name, or "" when the step has none. */
        public String action() {
            JsonNode action = node.get("action");
            return action != null && action.isTextual() ? action.asText() : "";
        }

        /** The inputs node, or null. */
        public JsonNode inputs() {
            return node.get("inputs");
        }

        /** For ExecuteBash: the command strings in order (non-strings skipped); otherwise empty. */
        public List<String> bashCommands() {
            List<String> commands = new ArrayList<>();
            JsonNode inputs = inputs();
            if ("ExecuteBash".equals(action()) && inputs != null && inputs.path("commands").isArray()) {
                for (JsonNode command : inputs.get("commands")) {
                    if (command.isTextual()) {
                        commands.add(command.asText());
                    }
                }
            }
            return commands;
        }
    }

    public static AwstoeDocument load(final Path file) {
        try {
            return parse(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read component document " + file, e);
        }
    }

    /** Parses YAML text; a document that is not YAML, or not a mapping, is an error naming the document. */
    public static AwstoeDocument parse(final String name, final String source) {
        JsonNode root;
        try {
            root = YAML.readTree(source);
        } catch (JacksonException e) {
            throw new IllegalArgumentException(name + ": not valid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(name + ": the document must be a YAML mapping");
        }
        return new AwstoeDocument(name, source, root);
    }

    public List<Phase> phases() {
        List<Phase> phases = new ArrayList<>();
        JsonNode list = root.get("phases");
        if (list == null || !list.isArray()) {
            return phases;
        }
        for (int p = 0; p < list.size(); p++) {
            JsonNode phase = list.get(p);
            if (!phase.isObject()) {
                continue;
            }
            String phaseName = phase.path("name").asText("#" + (p + 1));
            List<Step> steps = new ArrayList<>();
            JsonNode stepList = phase.get("steps");
            if (stepList != null && stepList.isArray()) {
                for (int s = 0; s < stepList.size(); s++) {
                    if (stepList.get(s).isObject()) {
                        steps.add(new Step(phaseName, s, stepList.get(s)));
                    }
                }
            }
            phases.add(new Phase(phaseName, p, steps));
        }
        return phases;
    }

    public List<Step> steps() {
        return phases().stream().flatMap(phase -> phase.steps().stream()).toList();
    }

    /** The parameters' declarations, in order: name to declaration (one-key maps only). */
    public List<Map.Entry<String, JsonNode>> parameters() {
        return declarations("parameters");
    }

    /** The constants' declarations, in order: name to declaration (one-key maps only). */
    public List<Map.Entry<String, JsonNode>> constants() {
        return declarations("constants");
    }

    private List<Map.Entry<String, JsonNode>> declarations(final String key) {
        List<Map.Entry<String, JsonNode>> declarations = new ArrayList<>();
        JsonNode list = root.get(key);
        if (list == null || !list.isArray()) {
            return declarations;
        }
        for (JsonNode item : list) {
            if (item.isObject() && item.size() == 1) {
                Iterator<Map.Entry<String, JsonNode>> fields = item.fields();
                declarations.add(fields.next());
            }
        }
        return declarations;
    }
}
