package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.NagResult;
import com.fractal.gpuhost.audit.render.HtmlPage;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The audit report of one cloud assembly, a view of what the tools found: its facts, cdk-nag's findings on them
 * (AwsSolutions and the project's pack, accepted or not) and, given a baseline assembly, what changed since.
 *
 * @param assembly how the report names the assembly (the path it was given)
 * @param changes the changes since the baseline, when one was given
 * @param controlTower AWS Control Tower's proactive controls over the assembly, when evaluated
 */
public record AuditReport(String assembly, AuditModel model, Optional<String> baseline,
        Optional<List<Change>> changes, Optional<ControlTowerResults> controlTower) {

    public static AuditReport of(final Path assembly) {
        return new AuditReport(assembly.toString(), AuditModel.of(Assembly.read(assembly).stacks()), Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    public static AuditReport of(final Path assembly, final Path baseline) {
        AuditReport current = of(assembly);
        return new AuditReport(current.assembly(), current.model(), Optional.of(baseline.toString()),
                Optional.of(BaselineDiff.between(of(baseline).model(), current.model())), Optional.empty());
    }

    /** This report with a section for Control Tower's proactive controls. */
    public AuditReport withControlTower(final ControlTowerResults results) {
        return new AuditReport(assembly, model, baseline, changes, Optional.of(results));
    }

    /** cdk-nag's findings, suppressed (accepted, with the reason) or not. */
    public List<NagResult> flags() {
        return model.nagResults().stream().filter(NagResult::isFlag).toList();
    }

    public long accepted() {
        return flags().stream().filter(NagResult::accepted).count();
    }

    public String markdown() {
        return new ReportBuilder(this).build();
    }

    public String html() {
        return HtmlPage.of(markdown());
    }
}
