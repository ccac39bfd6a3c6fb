package com.fractal.gpuhost.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An AWSTOE document from components/ as Image Builder receives it: a document that runs the host scripts
 * gets the steps that fetch them (HostScriptsSteps). Every string is written double-quoted and on one line,
 * as AWSTOE wants for {{ }} references. Its {@code name} is also the Image Builder component's name, so the
 * two cannot differ.
 */
record ComponentDocument(String key, String name, String text, String description, List<String> parameterNames,
        List<String> requiredParameters) {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            // A line break inside a {{ }} reference could hide it from AWSTOE's substitution.
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .build();

    static ComponentDocument read(final Path componentsDir, final String key) {
        Path file = componentsDir.resolve(key + ".yml");
        try {
            ObjectNode document = (ObjectNode) YAML.readTree(Files.readString(file));
            List<String> parameters = new ArrayList<>();
            List<String> required = new ArrayList<>();
            for (JsonNode entry : document.path("parameters")) {
                entry.fields().forEachRemaining(parameter -> {
                    parameters.add(parameter.getKey());
                    if (!parameter.getValue().has("default")) {
                        required.add(parameter.getKey());
                    }
                });
            }
            if (parameters.contains(HostScriptsSteps.PARAMETER)) {
                HostScriptsSteps.addTo(document);
            }
            return new ComponentDocument(key, document.path("name").asText(), YAML.writeValueAsString(document),
                    document.path("description").asText(), parameters, required);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the component document " + file, e);
        }
    }

    boolean declares(final String parameter) {
        return parameterNames.contains(parameter);
    }
}
