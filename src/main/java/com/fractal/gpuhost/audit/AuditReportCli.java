package com.fractal.gpuhost.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code audit [--assembly DIR] [--baseline DIR] [--out DIR]}: reads a synthesized cloud assembly (default
 * cdk.out) and writes the audit report to DIR (default audit/) as audit-report.md and audit-report.html, with
 * AWS Control Tower's proactive controls evaluated over the same templates by scripts/check-control-tower.sh.
 * Exit 0 when written (flags do not fail it), 1 when the assembly is missing or malformed, 2 for bad usage.
 */
public final class AuditReportCli {
    public static final String MARKDOWN = "audit-report.md";
    public static final String HTML = "audit-report.html";
    static final int BAD_ASSEMBLY = 1;
    static final int USAGE = 2;
    private static final String HELP = """
            usage: npm run audit -- [--assembly DIR] [--baseline DIR] [--out DIR]
              --assembly DIR  the synthesized cloud assembly to report on (default: cdk.out)
              --baseline DIR  an earlier assembly: adds the changes since it
              --out DIR       where to write audit-report.md and audit-report.html (default: audit)
            """;

    private AuditReportCli() {
    }

    public static void main(final String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns its exit code. Never throws for bad input: it says what is wrong on err. */
    public static int run(final String[] args, final PrintStream out, final PrintStream err) {
        Map<String, Path> options = new HashMap<>(Map.of("--assembly", Path.of("cdk.out"), "--out", Path.of("audit")));
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.print(HELP);
                return 0;
            }
            if (!List.of("--assembly", "--baseline", "--out").contains(args[i])) {
                err.print("audit: unknown argument '" + args[i] + "'\n" + HELP);
                return USAGE;
            }
            if (i + 1 >= args.length || args[i + 1].isBlank()) {
                err.print("audit: " + args[i] + " needs a directory\n" + HELP);
                return USAGE;
            }
            options.put(args[i], Path.of(args[i + 1]));
        }
        Path assembly = options.get("--assembly");
        Path outDir = options.get("--out");
        try {
            long start = System.nanoTime();
            Path baseline = options.get("--baseline");
            AuditReport report = (baseline == null ? AuditReport.of(assembly) : AuditReport.of(assembly, baseline))
                    .withControlTower(ControlTowerResults.evaluate(assembly));
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve(MARKDOWN), report.markdown(), StandardCharsets.UTF_8);
            Files.writeString(outDir.resolve(HTML), report.html(), StandardCharsets.UTF_8);
            ControlTowerResults ct = report.controlTower().orElseThrow();
            out.println("audit: wrote " + outDir.resolve(MARKDOWN) + " and " + outDir.resolve(HTML) + " ("
                    + report.model().stacks().size() + " stacks, " + report.flags().size() + " cdk-nag findings, "
                    + report.accepted() + " of them accepted; Control Tower: " + ct.verdict()
                    + report.changes().map(c -> "; " + c.size() + " changes since the baseline").orElse("")
                    + ") in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            return 0;
        } catch (AuditException e) {
            err.println("audit: " + e.getMessage());
        } catch (IOException e) {
            err.println("audit: cannot write the report to " + outDir + ": " + e.getMessage());
        } catch (RuntimeException e) {
            err.println("audit: cannot read the assembly at " + assembly + ": " + e);
        }
        return BAD_ASSEMBLY;
    }
}
