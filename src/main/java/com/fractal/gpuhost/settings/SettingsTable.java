package com.fractal.gpuhost.settings;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The documentation's settings tables, made from the declarations and cdk.json's defaults, so the tables
 * cannot drift from what the loader accepts. A test holds docs/settings.md and docs/ci.md to this text.
 */
public final class SettingsTable {
    /** Where each group's table is documented. */
    public static final Map<Setting.Group, Path> DOCUMENTED_IN = Map.of(
            Setting.Group.GENERAL, Path.of("docs/settings.md"),
            Setting.Group.DEV_INSTANCE, Path.of("docs/settings.md"),
            Setting.Group.IMAGE_PIPELINE, Path.of("docs/settings.md"),
            Setting.Group.SHARING, Path.of("docs/accounts.md"),
            Setting.Group.CI, Path.of("docs/ci.md"));

    private SettingsTable() {
    }

    /**
     * Rewrites the tables between their markers from cdk.json's defaults:
     * {@code mvn -q compile exec:java -Dmain.class=com.fractal.gpuhost.settings.SettingsTable}.
     */
    public static void main(final String[] args) throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) new ObjectMapper()
                .readValue(Path.of("cdk.json").toFile(), Map.class).get("context");
        for (Setting.Group group : Setting.Group.values()) {
            Path file = DOCUMENTED_IN.get(group);
            Files.writeString(file, replaceTable(Files.readString(file), group, context));
        }
    }

    /** The document with the group's table (between its markers) replaced by the generated one. */
    public static String replaceTable(final String document, final Setting.Group group,
            final Map<String, Object> cdkJsonContext) {
        int from = document.indexOf(begin(group));
        int to = document.indexOf(end(group));
        if (from < 0 || to < from) {
            throw new IllegalStateException("no markers " + begin(group) + " ... " + end(group));
        }
        return document.substring(0, from) + begin(group) + "\n" + markdown(group, cdkJsonContext)
                + document.substring(to);
    }

    /** The comment lines around a generated table in a Markdown file. */
    public static String begin(final Setting.Group group) {
        return "<!-- settings table " + group.name().toLowerCase() + ": generated from SettingDeclarations -->";
    }

    public static String end(final Setting.Group group) {
        return "<!-- end of settings table " + group.name().toLowerCase() + " -->";
    }

    /** The Markdown table of one group, with each default as cdk.json holds it. */
    public static String markdown(final Setting.Group group, final Map<String, Object> cdkJsonContext) {
        StringBuilder table = new StringBuilder("| key | default | allowed | meaning |\n| --- | --- | --- | --- |\n");
        for (Setting<?> setting : SettingDeclarations.in(group)) {
            table.append("| `").append(setting.key()).append("` | ")
                    .append(setting.defaultInCdkJson() ? render(cdkJsonContext.get(setting.key()))
                            : setting.absentMeans())
                    .append(" | ").append(escape(setting.allowed()))
                    .append(" | ").append(escape(setting.description())).append(" |\n");
        }
        return table.toString();
    }

    private static String render(final Object value) {
        if (value == null || "".equals(value)) {
            return "empty";
        }
        if (value instanceof List<?> list) {
            return list.isEmpty() ? "none"
                    : list.stream().map(item -> "`" + item + "`").collect(Collectors.joining(", "));
        }
        if (value instanceof Map<?, ?> map) {
            // An object's entries are documented where they are explained; the table names them.
            return map.isEmpty() ? "`{}`" : "one entry each for " + map.keySet().stream()
                    .map(key -> "`" + key + "`").collect(Collectors.joining(", "));
        }
        return "`" + value + "`";
    }

    private static String escape(final String text) {
        return text.replace("|", "\\|");
    }
}
