package com.fractal.gpuhost.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.audit.Change.Kind;
import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.rules.AuditRules;
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
 * on the second, with the first as baseline, shows the SSH rule added and the region removed.
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
    void theSshRuleIsAddedInEveryRemainingNetworkStack() {
        List<Change> added = changes(BaselineDiff.RULES, Kind.ADDED);
        assertEquals(6, added.size(), added::toString);
        assertTrue(added.stream().allMatch(c -> c.subject().equals("container-testing: ingress tcp 22 from 203.0.113.0/24")
                && c.stack().startsWith("FractalNetwork-") && c.detail().isEmpty()), added::toString);
        assertEquals(List.of(), changes(BaselineDiff.RULES, Kind.REMOVED));
    }

    @Test
    void theRegionIsRemovedFromTheDistributionAndItsNetworkStackIsGone() {
        List<Change> removed = changes(BaselineDiff.DISTRIBUTION, Kind.REMOVED);
        assertEquals(1, removed.size(), removed::toString);
        assertEquals("fractal-gpu-host-ubuntu24-r580 region " + DROPPED, removed.get(0).subject());
        assertEquals(List.of("FractalNetwork-" + DROPPED), changes(BaselineDiff.STACKS, Kind.REMOVED).stream()
                .map(Change::subject).toList());
        assertEquals(List.of(), changes(BaselineDiff.STACKS, Kind.ADDED));
        assertTrue(changes(BaselineDiff.ENCRYPTION, Kind.REMOVED).stream()
                .anyMatch(c -> c.subject().endsWith("in " + DROPPED)), "its AMI is no longer encrypted there: gone");
        assertEquals(List.of(), changes(BaselineDiff.PERMISSIONS, Kind.WIDENED), "no permission widened");
    }

    @Test
    void theOtherWayRoundTheRuleIsRemovedAndTheRegionAdded() {
        AuditReport reverse = AuditReport.of(defaults, changed);
        List<Change> changes = reverse.changes().orElseThrow();
        assertEquals(6, changes.stream().filter(c -> c.category().equals(BaselineDiff.RULES)
                && c.kind() == Kind.REMOVED).count());
        assertTrue(changes.stream().anyMatch(c -> c.category().equals(BaselineDiff.DISTRIBUTION)
                && c.kind() == Kind.ADDED && c.subject().endsWith(DROPPED)));
        assertTrue(changes.stream().anyMatch(c -> c.category().equals(BaselineDiff.STACKS) && c.kind() == Kind.ADDED
                && c.subject().equals("FractalNetwork-" + DROPPED) && c.detail().contains("10 flags")), changes::toString);
    }

    @Test
    void theChangesAreASectionOfTheReport(@TempDir final Path out) {
        String markdown = report.markdown();
        int section = markdown.indexOf("\n## " + ReportBuilder.CHANGES + "\n");
        assertTrue(section > 0 && section < markdown.indexOf("\n## " + ReportBuilder.STACKS + "\n"));
        assertTrue(markdown.contains("| added | FractalNetwork-&lt;region> | all 6 regions | `container-testing: "
                + "ingress tcp 22 from 203.0.113.0/24` |"), markdown.substring(section, section + 3000));
        assertTrue(markdown.contains("| removed | FractalHostImagePipeline | us-east-1 | `fractal-gpu-host-ubuntu24-r580 region "
                + DROPPED + "` |"));
        assertTrue(markdown.contains("| removed | FractalNetwork-" + DROPPED + " |  | `FractalNetwork-" + DROPPED + "` |"),
                "a stack no longer in the assembly keeps its name");

        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        assertEquals(0, AuditReportCli.run(new String[] {"--assembly", changed.toString(), "--baseline",
                defaults.toString(), "--out", out.toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                System.err));
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains(report.changes().orElseThrow().size()
                + " changes since the baseline"), stdout::toString);
    }

    @Test
    void permissionsWidenAndNarrowPerRole() throws IOException {
        AuditModel before = fixture("WildcardAction.compliant.json");
        AuditModel after = fixture("WildcardAction.noncompliant.json");
        List<Change> changes = BaselineDiff.between(before, AuditRules.evaluate(before), after,
                AuditRules.evaluate(after));
        List<String> permissions = changes.stream().filter(c -> c.category().equals(BaselineDiff.PERMISSIONS))
                .map(c -> c.kind().label() + " " + c.subject() + " " + c.detail()).toList();
        assertEquals(List.of("widened role Role Allow on arn:aws:s3:::bucket/key: + s3:*",
                "narrowed role Role Allow on arn:aws:s3:::bucket/key: - s3:GetObject",
                "widened role Role Deny on arn:aws:s3:::bucket/key: - *"), permissions);
        assertTrue(changes.stream().anyMatch(c -> c.category().equals(BaselineDiff.FLAGS) && c.kind() == Kind.ADDED
                && c.subject().equals("high WildcardAction: Role: s3:*")), changes::toString);
    }

    private static AuditModel fixture(final String name) throws IOException {
        try (InputStream in = BaselineDiffTest.class.getResourceAsStream("/audit/rules/" + name)) {
            return AuditModel.of(List.of(new StackTemplate("Fixture", "unknown-account", "us-east-1", name,
                    new ObjectMapper().readTree(in), List.of())));
        }
    }

    private static List<Change> changes(final String category, final Kind kind) {
        return report.changes().orElseThrow().stream().filter(c -> c.category().equals(category) && c.kind() == kind)
                .toList();
    }
}
