package com.fractal.gpuhost.nag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The part of docs/audit.md that the code states: the project's rules and every accepted risk, with its cdk-nag
 * rules, Control Tower controls and reason. {@code bash scripts/app-launcher.sh --main
 * com.fractal.gpuhost.nag.RulesDoc} rewrites it between the markers; a test fails when it is out of date.
 */
public final class RulesDoc {
    public static final Path FILE = Path.of("docs", "audit.md");
    static final String BEGIN = "<!-- BEGIN generated from ProjectChecks and AcceptedRisk by RulesDoc -->";
    static final String END = "<!-- END generated -->";

    private RulesDoc() {
    }

    /** The generated block, markers included. */
    public static String generated() {
        StringBuilder out = new StringBuilder(BEGIN).append("\n\n### The project's rules (cdk-nag pack ")
                .append(ProjectChecks.PACK).append(")\n\n| Rule | Checks | Flags | Why it matters |\n| --- | --- | --- | --- |\n");
        ProjectChecks.RULES.forEach(rule -> out.append("| `").append(ProjectChecks.PACK).append('-').append(rule.id())
                .append("` | `").append(rule.resourceType()).append("` | ").append(cell(rule.info())).append(" | ")
                .append(cell(rule.explanation())).append(" |\n"));
        out.append("\n### Accepted risks\n\n| Risk | cdk-nag rules | Control Tower controls | Reason |\n"
                + "| --- | --- | --- | --- |\n");
        Arrays.stream(AcceptedRisk.values()).forEach(risk -> out.append("| `").append(risk.name()).append("` | ")
                .append(risk.nagRules().stream().map(r -> "`" + r + "`").collect(Collectors.joining(", "))).append(" | ")
                .append(risk.controls().stream().map(c -> "`" + c + "`").collect(Collectors.joining(", ")))
                .append(" | ").append(cell(risk.reason())).append(" |\n"));
        return out.append('\n').append(END).toString();
    }

    /** The document with its generated block replaced by the current one. */
    public static String update(final String document) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(FILE + " has no generated block (" + BEGIN + " ... " + END + ")");
        }
        return document.substring(0, begin) + generated() + document.substring(end + END.length());
    }

    private static String cell(final String text) {
        return text.replace("|", "\\|").replace("*", "\\*");
    }

    public static void main(final String[] args) throws IOException {
        Files.writeString(FILE, update(Files.readString(FILE, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        System.out.println("wrote " + FILE);
    }
}
