package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.render.HtmlWriter;
import com.fractal.gpuhost.audit.render.MarkdownWriter;
import com.fractal.gpuhost.audit.render.ReportDocument;
import com.fractal.gpuhost.audit.rules.AuditRules;
import com.fractal.gpuhost.audit.rules.Flag;
import com.fractal.gpuhost.audit.rules.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The audit report of one cloud assembly: its facts, the flags the rules raise on them, and, given a baseline
 * assembly, what changed since.
 *
 * @param assembly how the report names the assembly (the path it was given)
 * @param changes the changes since the baseline, when one was given
 * @param controlTower AWS Control Tower's proactive controls over the assembly, when evaluated
 */
public record AuditReport(String assembly, AuditModel model, List<Flag> flags, Optional<String> baseline,
        Optional<List<Change>> changes, Optional<ControlTowerResults> controlTower) {

    public static AuditReport of(final Path assembly) {
        AuditModel model = AuditModel.of(Assembly.read(assembly));
        return new AuditReport(assembly.toString(), model, AuditRules.evaluate(model), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    public static AuditReport of(final Path assembly, final Path baseline) {
        AuditReport current = of(assembly);
        AuditReport before = of(baseline);
        return new AuditReport(current.assembly(), current.model(), current.flags(), Optional.of(baseline.toString()),
                Optional.of(BaselineDiff.between(before.model(), before.flags(), current.model(), current.flags())),
                Optional.empty());
    }

    /** This report with a section for Control Tower's proactive controls. */
    public AuditReport withControlTower(final ControlTowerResults results) {
        return new AuditReport(assembly, model, flags, baseline, changes, Optional.of(results));
    }

    /** The number of flags of each severity, most severe first, every severity present. */
    public Map<Severity, Long> flagCounts() {
        Map<Severity, Long> counts = new TreeMap<>(flags.stream()
                .collect(Collectors.groupingBy(Flag::severity, Collectors.counting())));
        for (Severity severity : Severity.values()) {
            counts.putIfAbsent(severity, 0L);
        }
        return counts;
    }

    public ReportDocument document() {
        return new ReportBuilder(this).build();
    }

    public String markdown() {
        return MarkdownWriter.write(document());
    }

    public String html() {
        return HtmlWriter.write(document());
    }
}
