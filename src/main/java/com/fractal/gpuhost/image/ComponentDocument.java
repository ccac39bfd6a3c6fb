package com.fractal.gpuhost.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An AWSTOE document from components/: its text, and the parameters it declares. */
record ComponentDocument(String key, String text, String description, List<String> parameterNames) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static ComponentDocument read(final Path componentsDir, final String key) {
        Path file = componentsDir.resolve(key + ".yml");
        try {
            String text = Files.readString(file);
            Map<?, ?> document = YAML.readValue(text, Map.class);
            List<String> parameters = new ArrayList<>();
            if (document.get("parameters") instanceof List<?> declared) {
                declared.forEach(entry -> ((Map<?, ?>) entry).keySet().forEach(name -> parameters.add(name.toString())));
            }
            return new ComponentDocument(key, text, String.valueOf(document.get("description")), parameters);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the component document " + file, e);
        }
    }

    boolean declares(final String parameter) {
        return parameterNames.contains(parameter);
    }
}
