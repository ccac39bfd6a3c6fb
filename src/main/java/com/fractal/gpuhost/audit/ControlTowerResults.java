package com.fractal.gpuhost.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * AWS Control Tower's proactive controls over an assembly, as scripts/check-control-tower.sh evaluates them
 * (cfn-guard's structured results, each failure matched against the accepted risks the templates' resources carry).
 * The report runs that script rather than cfn-guard itself, so the rules and the matching live in one place,
 * the gate's.
 *
 * @param controls how many controls were evaluated on each template
 * @param titles what each control requires, in Control Tower's words
 */
public record ControlTowerResults(int controls, Map<String, String> titles, List<Passed> passed,
        List<Failure> failures, List<Stale> stale) {

    /** A control a stack's resources comply with. */
    public record Passed(String control, String stack) {
    }

    /** A resource that fails a control; excepted when the resource carries an accepted risk for it, with the reason. */
    public record Failure(String control, String stack, String resource, boolean excepted, String risk, String reason) {
    }

    /** An accepted risk that no longer fails its control on the resources it marks in a stack. */
    public record Stale(String risk, String control, String stack, String resource, String reason) {
    }

    static final Path GATE = Path.of("scripts", "check-control-tower.sh");
    private static final int GATE_FAILED = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public static ControlTowerResults read(final Path file) {
        try {
            return JSON.readValue(file.toFile(), ControlTowerResults.class);
        } catch (IOException e) {
            throw new AuditException("cannot read the Control Tower results " + file + ": " + e.getMessage());
        }
    }

    /** Runs the gate over the assembly's templates (it never synthesizes) and reads its results. */
    public static ControlTowerResults evaluate(final Path assembly) {
        Path results = null;
        try {
            results = Files.createTempFile("control-tower-", ".json");
            Process gate = new ProcessBuilder("bash", GATE.toString(), "--results", results.toString(),
                    assembly.toString()).redirectErrorStream(true).start();
            String output = new String(gate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (gate.waitFor() > GATE_FAILED) {
                throw new AuditException("the Control Tower controls could not be evaluated: " + output.strip()
                        .replace("\n", "; "));
            }
            return read(results);
        } catch (IOException e) {
            throw new AuditException("cannot run " + GATE + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditException("interrupted while running " + GATE);
        } finally {
            if (results != null) {
                results.toFile().delete();
            }
        }
    }

    public List<Failure> unlisted() {
        return failures.stream().filter(f -> !f.excepted()).toList();
    }

    public List<Failure> excepted() {
        return failures.stream().filter(Failure::excepted).toList();
    }

    /** What the summary, the Control Tower section and the command's last line say of the failures. */
    public String verdict() {
        return unlisted().size() + " failures not accepted, " + stale.size() + " stale accepted risks, "
                + excepted().size() + " failures accepted by design";
    }

    public long passedControls() {
        return passed.stream().map(Passed::control).distinct().count();
    }

    public String title(final String control) {
        return titles.getOrDefault(control, "");
    }
}
