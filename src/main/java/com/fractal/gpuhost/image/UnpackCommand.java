package com.fractal.gpuhost.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one command that unpacks the host-scripts asset on a host. It is written once, in the UnpackHostScripts
 * step of the component documents (identical in each), which Image Builder runs as written; a dev instance's
 * user data runs the same command with its own paths, read from there, so the two cannot drift apart.
 */
public final class UnpackCommand {
    /** Every document holds the step; the first one the recipe runs is read. */
    static final String DOCUMENT = HostComponents.ORDER.get(0) + ".yml";
    static final String STEP = "UnpackHostScripts";
    static final String ZIP_CONSTANT = "HostScriptsZip";
    static final String FOLDER_CONSTANT = "HostScriptsDir";
    private static final Pattern REFERENCE = Pattern.compile("\\{\\{\\s*([A-Za-z][A-Za-z0-9_-]*)\\s*}}");

    private UnpackCommand() {
    }

    /** The step's command that unpacks {{ HostScriptsZip }} into {{ HostScriptsDir }}, with these paths instead. */
    public static String of(final Path componentsDir, final String zipFile, final String folder) {
        Path file = componentsDir.resolve(DOCUMENT);
        JsonNode document;
        try {
            document = new YAMLMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the component document " + file, e);
        }
        for (JsonNode step : document.path("phases").path(0).path("steps")) {
            if (!STEP.equals(step.path("name").asText())) {
                continue;
            }
            for (JsonNode command : step.path("inputs").path("commands")) {
                String text = command.asText();
                if (references(text, ZIP_CONSTANT) && references(text, FOLDER_CONSTANT)) {
                    return substitute(text, zipFile, folder);
                }
            }
        }
        throw new IllegalStateException(file + ": its first phase has no step " + STEP + " with a command that "
                + "unpacks {{ " + ZIP_CONSTANT + " }} into {{ " + FOLDER_CONSTANT + " }}");
    }

    private static boolean references(final String command, final String constant) {
        Matcher matcher = REFERENCE.matcher(command);
        while (matcher.find()) {
            if (matcher.group(1).equals(constant)) {
                return true;
            }
        }
        return false;
    }

    private static String substitute(final String command, final String zipFile, final String folder) {
        Matcher matcher = REFERENCE.matcher(command);
        StringBuilder result = new StringBuilder();
        while (matcher.find()) {
            String value = switch (matcher.group(1)) {
                case ZIP_CONSTANT -> zipFile;
                case FOLDER_CONSTANT -> folder;
                default -> throw new IllegalStateException(DOCUMENT + " " + STEP + ": the unpack command may only "
                        + "reference " + ZIP_CONSTANT + " and " + FOLDER_CONSTANT + ", not " + matcher.group());
            };
            matcher.appendReplacement(result, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
