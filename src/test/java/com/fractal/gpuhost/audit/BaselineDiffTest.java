package com.fractal.gpuhost.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.audit.Change.Kind;
import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.NagResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two assemblies of the project: the defaults, and one with a region fewer and SSH from one network. The report
 * on the second, with the first as baseline, shows the region's network stack removed; the SSH rule and the
 * distribution's region are changes within a stack both hold, cdk diff's to show.
 */
class BaselineDiffTest {
    private static final String DROPPED = "eu-central-1";
    private static Path defaults;
    private static Path changed;
    private static AuditReport report;

    @BeforeAll
    static void synthesize() {
        defaults = Path.of(TestApps.synthesize(Map.of()).assembly().getDirectory());
        List<String> regions = TestApps.settings(Map.of()).activeRegions().stream()
                .filter(region -> !region.equals(DROPPED)).toList();
        changed = Path.of(TestApps.synthesize(Map.of("activeRegions", regions, "sshCidr", "203.0.113.0/24"))
                .assembly().getDirectory());
        report = AuditReport.of(changed, defaults);
    }

    @Test
    void theRegionsNetworkStackIsGoneAndNothingWithinAStackIsRepeated() {
        assertEquals(List.of("FractalNetwork-" + DROPPED), changes(ReportBuilder.STACKS, Kind.REMOVED).stream()
                .map(Change::subject).toList());
        assertEquals(List.of(), changes(ReportBuilder.STACKS, Kind.ADDED));
        assertEquals(1, report.changes().orElseThrow().size(), "the SSH rule, the distribution's region and the "
                + "findings of the stacks both hold are unchanged or cdk diff's: " + report.changes());
    }

    @Test
    void theOtherWayRoundTheRuleIsRemovedAndTheRegionAdded() {
        AuditReport reverse = AuditReport.of(defaults, changed);
        List<Change> changes = reverse.changes().orElseThrow();
        assertTrue(changes.stream().anyMatch(c -> c.category().equals(ReportBuilder.STACKS) && c.kind() == Kind.ADDED
                && c.subject().equals("FractalNetwork-" + DROPPED) && c.detail().contains("2 cdk-nag findings")), changes::toString);
    }

    @Test
    void theChangesAreASectionOfTheReport(@TempDir final Path out) {
        String markdown = report.markdown();
        int section = markdown.indexOf("\n## " + ReportBuilder.CHANGES + "\n");
        assertTrue(section > 0 && section < markdown.indexOf("\n## " + ReportBuilder.STACKS + "\n"));
        assertTrue(markdown.contains("\n1 changes: 1 in stacks.\n"), markdown);
        assertTrue(markdown.contains("| removed | FractalNetwork-" + DROPPED + " |  | `FractalNetwork-" + DROPPED + "` |"),
                "a stack no longer in the assembly keeps its name");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        assertEquals(0, AuditReportCli.run(new String[] {"--assembly", changed.toString(), "--baseline",
                defaults.toString(), "--out", out.toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                System.err));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains(report.changes().orElseThrow().size()
                + " changes since the baseline"), stdout::toString);
    }

    /**
     * cdk diff compares templates; what cdk-nag says about them changes only here, each suppressed finding on its
     * own (a second managed policy accepted on a role that had one).
     */
    @Test
    void findingsRaisedAcceptedAndClearedBetweenTwoAssemblies() {
        NagResult open = finding("FractalProject-PublicAmi", "Non-Compliant", "N/A");
        NagResult accepted = finding("AwsSolutions-S1", "Suppressed", "a log bucket");
        NagResult cleared = finding("AwsSolutions-IAM5", "Suppressed", "scoped");
        NagResult managed = finding("AwsSolutions-IAM4", "Suppressed", "[Policy::Ssm] AWS's own");
        NagResult another = finding("AwsSolutions-IAM4", "Suppressed", "[Policy::Admin] AWS's own");
        List<Change> changes = BaselineDiff.between(model(List.of(cleared, finding("AwsSolutions-S1", "Non-Compliant",
                "N/A"), managed)), model(List.of(open, accepted, managed, another)));
        assertEquals(List.of("added FractalProject-PublicAmi on Fixture/Distribution: Non-Compliant",
                "changed AwsSolutions-S1 on Fixture/Distribution: Non-Compliant -> Suppressed: a log bucket",
                "added AwsSolutions-IAM4 on Fixture/Distribution: Suppressed: [Policy::Admin] AWS's own",
                "removed AwsSolutions-IAM5 on Fixture/Distribution: Suppressed: scoped"),
                changes.stream().filter(c -> c.category().equals(ReportBuilder.FLAGS))
                        .map(c -> c.kind().name().toLowerCase() + " " + c.subject() + ": " + c.detail()).toList());
    }

    private static NagResult finding(final String rule, final String compliance, final String reason) {
        return new NagResult("Fixture", rule.split("-")[0], rule, "Fixture/Distribution", "Distribution", compliance,
                reason, "Error");
    }

    private static AuditModel model(final List<NagResult> nag) {
        return new AuditModel(List.of(new StackTemplate("Fixture", "unknown-account", "us-east-1",
                "Fixture.template.json", new ObjectMapper().createObjectNode(), nag)), List.of(), List.of(), List.of(),
                List.of(), List.of(), List.of(), nag);
    }

    private static List<Change> changes(final String category, final Kind kind) {
        return report.changes().orElseThrow().stream().filter(c -> c.category().equals(category) && c.kind() == kind)
                .toList();
    }
}
