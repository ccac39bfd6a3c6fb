package com.fractal.gpuhost.nag;

import com.fractal.gpuhost.audit.render.Markdown;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The tables that the code states: the project's rules and every accepted risk, with its cdk-nag rules, Control
 * Tower controls and reason. The audit report shows them, and docs/audit.md holds them between its markers:
 * {@code bash scripts/app-launcher.sh --main com.fractal.gpuhost.nag.RulesDoc} rewrites that block; a test fails
 * when it is out of date.
 */
public final class RulesDoc {
    public static final Path FILE = Path.of("docs", "audit.md");
    static final String BEGIN = "<!-- BEGIN generated from ProjectChecks and AcceptedRisk by RulesDoc -->";
    static final String END = "<!-- END generated -->";
    private static final int NO_STATUS = -1;

    private RulesDoc() {
    }

    /** The two tables, each under a level-3 heading, as Markdown blocks. */
    public static String tables() {
        return new Markdown(UnaryOperator.identity())
                .heading(3, "The project's rules (cdk-nag pack " + ProjectChecks.PACK + ")")
                .table(List.of("Rule", "Checks", "Flags", "Why it matters"), ProjectChecks.RULES.stream().map(rule ->
                        List.of(ProjectChecks.PACK + "-" + rule.id(), rule.resourceType(), rule.info(),
                                rule.explanation())).toList(), Set.of(0, 1), NO_STATUS)
                .heading(3, "Accepted risks")
                .table(List.of("Risk", "cdk-nag rules", "Control Tower controls", "Reason"), Arrays.stream(AcceptedRisk
                        .values()).map(risk -> List.of(risk.name(), String.join("\n", risk.nagRules()),
                                String.join("\n", risk.controls()), risk.reason())).toList(), Set.of(0, 1, 2),
                        NO_STATUS)
                .blocks();
    }

    /** The document with its generated block replaced by the current one. */
    public static String update(final String document) {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalStateException(FILE + " has no generated block (" + BEGIN + " ... " + END + ")");
        }
        return document.substring(0, begin) + BEGIN + "\n\n" + tables() + END + document.substring(end + END.length());
    }

    public static void main(final String[] args) throws IOException {
        Files.writeString(FILE, update(Files.readString(FILE, StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
        System.out.println("wrote " + FILE);
    }
}
