package com.fractal.gpuhost.image;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An AWSTOE document of components/, which Image Builder receives exactly as the file holds it (its text is the
 * component's data), with what the stack needs to know of it: its name (also the component's name, so the two
 * cannot differ), its description and the parameters it declares, those without a default being required.
 */
record ComponentDocument(String key, String name, String text, String description, List<String> parameterNames,
        List<String> requiredParameters) {
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    static ComponentDocument read(final Path componentsDir, final String key) {
        Path file = componentsDir.resolve(key + ".yml");
        try {
            String text = Files.readString(file);
            JsonNode document = YAML.readTree(text);
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
            return new ComponentDocument(key, document.path("name").asText(), text,
                    document.path("description").asText(), List.copyOf(parameters), List.copyOf(required));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the component document " + file, e);
        }
    }

    boolean declares(final String parameter) {
        return parameterNames.contains(parameter);
    }
}
