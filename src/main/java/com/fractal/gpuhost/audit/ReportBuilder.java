package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Distribution;
import com.fractal.gpuhost.audit.model.Encryption;
import com.fractal.gpuhost.audit.model.IamRole;
import com.fractal.gpuhost.audit.model.InstanceMetadata;
import com.fractal.gpuhost.audit.model.NagResult;
import com.fractal.gpuhost.audit.model.PolicyStatement;
import com.fractal.gpuhost.audit.model.Retention;
import com.fractal.gpuhost.audit.model.SecurityGroup;
import com.fractal.gpuhost.audit.model.SecurityGroupRule;
import com.fractal.gpuhost.audit.model.StackFacts;
import com.fractal.gpuhost.audit.model.Suppression;
import com.fractal.gpuhost.audit.render.ReportDocument;
import com.fractal.gpuhost.audit.rules.AuditRule;
import com.fractal.gpuhost.audit.rules.AuditRules;
import com.fractal.gpuhost.audit.rules.Flag;
import com.fractal.gpuhost.audit.rules.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Lays the report out: flags first, then the changes since the baseline, then every fact by topic. */
final class ReportBuilder {
    static final String TITLE = "Audit report of the cloud assembly";
    static final String FLAGS = "Flags";
    static final String CHANGES = "Changes since baseline";
    static final String STACKS = "Stacks";
    static final String SECURITY_GROUPS = "Security groups";
    static final String ROLES = "IAM roles";
    static final String ENCRYPTION = "Encryption at rest";
    static final String METADATA = "Instance metadata (IMDS)";
    static final String DISTRIBUTION = "AMI distribution";
    static final String RETENTION = "Image retention";
    static final String NAG = "cdk-nag results and suppressions";
    static final String SUMMARY = "Summary";
    static final String CONTROL_TOWER = "AWS Control Tower proactive controls";
    /** The summary's status when a check needs no attention. */
    static final String OK = "OK";
    /** Control Tower results: a failure not listed, an exception that no longer fails, a listed failure. */
    static final String FAILED = "FAILED";
    static final String STALE = "STALE";
    static final String EXCEPTED = "EXCEPTED";

    private final AuditReport report;
    private final AuditModel model;
    private final RegionGroups groups;
    private final ReportDocument doc = new ReportDocument(TITLE);

    ReportBuilder(final AuditReport report) {
        this.report = report;
        this.model = report.model();
        this.groups = new RegionGroups(model.stacks());
    }

    ReportDocument build() {
        introduction();
        summary();
        flags();
        report.controlTower().ifPresent(this::controlTower);
        report.changes().ifPresent(this::changes);
        stacks();
        securityGroups();
        roles();
        encryption();
        instanceMetadata();
        distribution();
        retention();
        nag();
        return doc;
    }

    private void introduction() {
        Set<String> regions = model.stacks().stream().map(StackFacts::region).collect(Collectors.toCollection(
                LinkedHashSet::new));
        int resources = model.stacks().stream().mapToInt(StackFacts::resourceTotal).sum();
        doc.paragraph("Assembly:", report.assembly() + ": " + model.stacks().size() + " stacks in " + regions.size()
                + " regions, " + resources + " resources." + report.baseline().map(b -> " Baseline: " + b + ".")
                        .orElse(""));
        doc.paragraph("How to read it:", "every fact is read from the synthesized templates and cdk-nag's reports, "
                + "not from the code. Values known only at deploy time are shown as {Ref: X} (a resource's ID), "
                + "{GetAtt: X.Arn} (its attribute), ${AWS::AccountId} (a pseudo parameter) and ssm:/name (an SSM "
                + "parameter resolved at deploy time). Flags mark what an auditor should look at; a flag that a "
                + "cdk-nag suppression on the same resource accepts shows that suppression's reason. A stack deployed "
                + "to several regions is named <name>-" + RegionGroups.REGION + ", and a fact that is the same in each of them is shown once, with the "
                + "regions where it holds (\"all 7 regions\", or the list where they differ).");
    }

    /** What needs attention, before any detail: flag counts, Control Tower's verdict, cdk-nag's. */
    private void summary() {
        doc.heading(2, SUMMARY);
        List<List<String>> rows = new ArrayList<>();
        Map<Severity, Long> counts = report.flagCounts();
        for (Map.Entry<Severity, Long> count : counts.entrySet()) {
            long accepted = report.flags().stream().filter(f -> f.severity() == count.getKey()
                    && !f.acknowledgement().isEmpty()).count();
            rows.add(List.of(count.getValue() == 0 ? OK : count.getKey().name(), "Audit flags, "
                    + count.getKey().label(), count.getValue() + (accepted == 0 ? "" : " (" + accepted + " accepted)")));
        }
        report.controlTower().ifPresent(ct -> rows.add(List.of(ct.unlisted().isEmpty() && ct.stale().isEmpty()
                ? OK : Severity.HIGH.name(), "Control Tower proactive controls", ct.unlisted().size()
                        + " failures not listed, " + ct.stale().size() + " stale exceptions, " + ct.excepted().size()
                        + " failures excepted by design, " + ct.passed().stream().map(ControlTowerResults.Passed::control)
                                .distinct().count() + " controls passed")));
        long notCompliant = model.nagResults().stream().filter(r -> !r.compliance().equals(NagResult.COMPLIANT)
                && !r.compliance().equals(NagResult.SUPPRESSED)).count();
        rows.add(List.of(notCompliant == 0 ? OK : Severity.HIGH.name(), "cdk-nag findings not suppressed",
                String.valueOf(notCompliant)));
        doc.table(List.of("Status", "Check", "Result"), rows, Set.of(), 0);
    }

    private void flags() {
        doc.heading(2, FLAGS);
        Map<Severity, Long> counts = report.flagCounts();
        doc.paragraph(report.flags().size() + " flags: " + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", ")) + ".");
        if (!report.flags().isEmpty()) {
            Map<String, List<Flag>> byRule = new LinkedHashMap<>();
            report.flags().forEach(f -> byRule.computeIfAbsent(f.ruleId() + " " + f.severity(), k -> new ArrayList<>())
                    .add(f));
            List<List<String>> summary = new ArrayList<>();
            byRule.values().forEach(flags -> summary.add(List.of(flags.get(0).severity().name(), flags.get(0).ruleId(),
                    String.valueOf(flags.size()),
                    String.valueOf(flags.stream().filter(f -> !f.acknowledgement().isEmpty()).count()),
                    flags.stream().map(Flag::acknowledgement).filter(a -> !a.isEmpty()).distinct()
                            .collect(Collectors.joining("\n")),
                    groups.stacks(flags.stream().map(Flag::stack).distinct().toList()))));
            doc.table(List.of("Severity", "Rule", "Flags", "Accepted", "Accepted because (cdk-nag suppression)",
                    "Stacks"), summary, Set.of(1), 0);
            List<List<String>> rows = new ArrayList<>();
            report.flags().forEach(f -> rows.add(List.of(f.severity().name(), f.ruleId(), f.stack(), f.logicalId(),
                    f.subject(), f.message(), f.acknowledgement().isEmpty() ? ""
                            : "yes (" + f.acknowledgement().split(":", 2)[0] + ")")));
            groups.table(doc, List.of("Severity", "Rule", "Stack", "Resource", "What", "Why", "Accepted"), 2, rows,
                    Set.of(1, 3, 4), 0);
        }
        doc.heading(3, "The rules");
        List<List<String>> rules = new ArrayList<>();
        for (AuditRule rule : AuditRules.ALL) {
            rules.add(List.of(rule.id(), rule.description(), String.join(", ", rule.relatedNagRules())));
        }
        doc.table(List.of("Rule", "Flags", "Related cdk-nag rules"), rules, Set.of(0, 2), -1);
    }

    /**
     * Control Tower's proactive controls: what fails and is not listed, stale exceptions, what fails by design
     * (with the reason from the exceptions file), then the controls that pass.
     */
    private void controlTower(final ControlTowerResults ct) {
        doc.heading(2, CONTROL_TOWER);
        long passed = ct.passed().stream().map(ControlTowerResults.Passed::control).distinct().count();
        doc.paragraph("cfn-guard with AWS Control Tower's proactive-control rules (npm package "
                + "@cdklabs/cdk-validator-cfnguard) over every template, as scripts/check-control-tower.sh runs them in "
                + "npm test: " + ct.controls() + " controls, " + passed + " passed, " + ct.failures().stream()
                        .map(ControlTowerResults.Failure::control).distinct().count() + " failed; "
                + ct.unlisted().size() + " failures not listed, " + ct.stale().size() + " stale exceptions, "
                + ct.excepted().size() + " failures excepted by design in control-tower-exceptions.json. The other "
                + "controls do not apply (no resource of their type).");
        List<List<String>> failing = new ArrayList<>();
        ct.failures().forEach(f -> failing.add(List.of(f.excepted() ? EXCEPTED : FAILED, f.control(), f.stack(),
                f.resource(), ct.title(f.control()), f.excepted() ? f.reason()
                        : "not listed in control-tower-exceptions.json: fix it, or list it with the reason")));
        ct.stale().forEach(e -> failing.add(List.of(STALE, e.control(), e.stack(), e.resource(),
                ct.title(e.control()), "listed, but no longer fails: remove the exception (" + e.reason() + ")")));
        failing.sort(Comparator.comparing((List<String> row) -> row.get(0).equals(EXCEPTED)));
        if (!failing.isEmpty()) {
            doc.heading(3, "Failed controls");
            groups.table(doc, List.of("Result", "Control", "Stack", "Resource", "Control requires", "Reason"), 2,
                    failing, Set.of(1, 3), 0);
        }
        doc.heading(3, "Passed controls");
        Map<String, List<String>> passedIn = new LinkedHashMap<>();
        ct.passed().forEach(p -> passedIn.computeIfAbsent(p.control(), k -> new ArrayList<>()).add(p.stack()));
        List<List<String>> rows = new ArrayList<>();
        passedIn.forEach((control, stacks) -> rows.add(List.of(control, ct.title(control), groups.stacks(stacks))));
        doc.table(List.of("Control", "Control requires", "Passed in"), rows, Set.of(0), -1);
    }

    private void changes(final List<Change> changes) {
        doc.heading(2, CHANGES);
        if (changes.isEmpty()) {
            doc.paragraph("Nothing changed in the report's terms.");
            return;
        }
        Map<String, List<Change>> byCategory = new LinkedHashMap<>();
        changes.forEach(c -> byCategory.computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c));
        doc.paragraph(changes.size() + " changes: " + byCategory.entrySet().stream()
                .map(e -> e.getValue().size() + " in " + e.getKey().toLowerCase()).collect(Collectors.joining(", "))
                + ".");
        for (Map.Entry<String, List<Change>> category : byCategory.entrySet()) {
            doc.heading(3, category.getKey());
            List<List<String>> rows = new ArrayList<>();
            category.getValue().forEach(c -> rows.add(List.of(c.kind().label(), c.stack(), c.subject(), c.detail())));
            groups.table(doc, List.of("Change", "Stack", "What", "Detail"), 1, rows, Set.of(2), -1);
        }
    }

    private void stacks() {
        doc.heading(2, STACKS);
        List<List<String>> rows = new ArrayList<>();
        for (StackFacts stack : model.stacks()) {
            rows.add(List.of(stack.name(), stack.account(), stack.description(),
                    String.valueOf(stack.resourceTotal()), stack.templateFile()));
        }
        groups.table(doc, List.of("Stack", "Account", "Description", "Resources", "Template"), 0, rows,
                Set.of(0, 4), -1);
        List<RegionGroups.Section> sections = new ArrayList<>();
        for (StackFacts stack : model.stacks()) {
            List<List<String>> counts = new ArrayList<>();
            stack.sortedCounts().forEach((type, count) -> counts.add(List.of(type, String.valueOf(count))));
            sections.add(new RegionGroups.Section(stack.name(), stack.name(), new ReportDocument("")
                    .table(List.of("Resource type", "Count"), counts, Set.of(0), -1)));
        }
        groups.sections(doc, 3, sections);
    }

    private void securityGroups() {
        doc.heading(2, SECURITY_GROUPS);
        if (model.securityGroups().isEmpty()) {
            doc.paragraph("No security group in any template.");
        }
        List<RegionGroups.Section> sections = new ArrayList<>();
        for (SecurityGroup group : model.securityGroups()) {
            ReportDocument part = new ReportDocument("");
            sections.add(new RegionGroups.Section(group.stack(), group.stack() + " / " + group.label(), part));
            part.paragraph(group.description() + " (resource " + group.logicalId() + (group.vpc().isEmpty() ? ""
                    : ", VPC " + group.vpc()) + ")");
            if (group.rules().isEmpty()) {
                part.paragraph("No rules.");
                continue;
            }
            List<List<String>> rows = new ArrayList<>();
            for (SecurityGroupRule rule : group.rules()) {
                rows.add(List.of(rule.direction().label(), rule.protocol(), rule.ports(),
                        rule.peer() + (rule.peerKind().isEmpty() ? "" : "\n(" + rule.peerKind() + ")"),
                        rule.description(), rule.definedBy(), flagsOf(group.stack(), group.logicalId(), rule)));
            }
            part.table(List.of("Direction", "Protocol", "Ports", "Source / destination", "Description", "Defined by",
                    "Flags"), rows, Set.of(3), -1);
        }
        groups.sections(doc, 3, sections);
    }

    private void roles() {
        doc.heading(2, ROLES);
        if (model.roles().isEmpty()) {
            doc.paragraph("No IAM role in any template.");
        }
        List<RegionGroups.Section> sections = new ArrayList<>();
        for (IamRole role : model.roles()) {
            ReportDocument part = new ReportDocument("");
            sections.add(new RegionGroups.Section(role.stack(), role.stack() + " / " + role.label(), part));
            List<String> about = new ArrayList<>();
            if (!role.description().isEmpty()) {
                about.add(role.description());
            }
            about.add("resource " + role.logicalId());
            if (!role.maxSessionDuration().isEmpty()) {
                about.add("maximum session " + role.maxSessionDuration() + " s");
            }
            if (!role.permissionsBoundary().isEmpty()) {
                about.add("permissions boundary " + role.permissionsBoundary());
            }
            part.paragraph(String.join("; ", about) + ".");
            if (!role.trust().isEmpty()) {
                part.paragraph("Trust policy:", "who may assume the role.");
                List<List<String>> rows = new ArrayList<>();
                for (PolicyStatement s : role.trust()) {
                    rows.add(List.of(s.effect(), lines(s.principals()), lines(s.actions()), lines(s.conditions()),
                            flagsOf(role.stack(), role.logicalId(), s)));
                }
                part.table(List.of("Effect", "Principals", "Actions", "Conditions", "Flags"), rows, Set.of(1, 2, 3), -1);
            }
            if (!role.managedPolicyArns().isEmpty()) {
                part.paragraph("Managed policies:", "attached by ARN; their statements are not in the assembly.");
                part.bullets(role.managedPolicyArns());
            }
            if (role.permissions().isEmpty()) {
                part.paragraph("Permissions:", "no policy statement in the templates.");
                continue;
            }
            part.paragraph("Permissions:", "the statements of its inline and attached policies in the templates.");
            List<List<String>> rows = new ArrayList<>();
            for (PolicyStatement s : role.permissions()) {
                List<String> actions = new ArrayList<>(s.actions());
                s.notActions().forEach(a -> actions.add("NotAction " + a));
                List<String> resources = new ArrayList<>(s.resources());
                s.notResources().forEach(r -> resources.add("NotResource " + r));
                rows.add(List.of(s.source(), s.sid(), s.effect(), lines(actions), lines(resources),
                        lines(s.conditions()), flagsOf(role.stack(), s.definedIn(), s)));
            }
            part.table(List.of("Policy", "Sid", "Effect", "Actions", "Resources", "Conditions", "Flags"), rows,
                    Set.of(3, 4, 5), -1);
        }
        groups.sections(doc, 3, sections);
    }

    private void encryption() {
        doc.heading(2, ENCRYPTION);
        doc.paragraph("EBS volumes (launch templates, instances, image recipes), buckets, topics, and the AMIs each "
                + "pipeline distributes, per region.");
        List<List<String>> rows = new ArrayList<>();
        for (Encryption e : model.encryption()) {
            rows.add(List.of(e.kind().label(), e.stack(), e.logicalId(), e.subject(),
                    e.encrypted() == null ? "not set" : e.encrypted() ? "yes" : "NO", e.detail(),
                    flagsOf(e.stack(), e.logicalId(), e)));
        }
        groups.table(doc, List.of("Kind", "Stack", "Resource", "What", "Encrypted", "Key / detail", "Flags"), 1, rows,
                Set.of(2, 5), -1);
    }

    private void instanceMetadata() {
        doc.heading(2, METADATA);
        doc.paragraph("IMDSv2 is required when HttpTokens is \"required\"; otherwise IMDSv1 answers too.");
        List<List<String>> rows = new ArrayList<>();
        for (InstanceMetadata m : model.instanceMetadata()) {
            rows.add(List.of(m.stack(), m.logicalId(), m.resourceType(), m.httpTokens() == null ? "not set"
                    : m.httpTokens(), m.requiresV2() ? "yes" : "NO", m.detail(), flagsOf(m.stack(), m.logicalId(), m)));
        }
        groups.table(doc, List.of("Stack", "Resource", "Type", "HttpTokens", "IMDSv2 only", "Detail", "Flags"), 0, rows,
                Set.of(1, 2), -1);
    }

    private void distribution() {
        doc.heading(2, DISTRIBUTION);
        if (model.distributions().isEmpty()) {
            doc.paragraph("No Image Builder distribution configuration in any template.");
            return;
        }
        Map<String, List<Distribution>> byConfiguration = new LinkedHashMap<>();
        model.distributions().forEach(d -> byConfiguration.computeIfAbsent(d.stack() + " / " + d.configurationName(),
                k -> new ArrayList<>()).add(d));
        for (Map.Entry<String, List<Distribution>> configuration : byConfiguration.entrySet()) {
            List<Distribution> regions = configuration.getValue();
            doc.heading(3, configuration.getKey());
            doc.paragraph(regions.size() + " regions: " + regions.stream().map(Distribution::region)
                    .collect(Collectors.joining(", ")) + ". AMI name pattern: " + regions.stream()
                            .map(Distribution::amiName).distinct().collect(Collectors.joining(", ")) + ".");
            List<List<String>> rows = new ArrayList<>();
            for (Distribution d : regions) {
                rows.add(List.of(d.region(), d.amiName(), d.kmsKey().isEmpty() ? "not set" : d.kmsKey(),
                        lines(d.ssmParameters()), d.launchPermissions().isEmpty() ? "owning account only"
                                : lines(d.launchPermissions()),
                        d.targetAccounts().isEmpty() ? "owning account" : lines(d.targetAccounts()),
                        flagsOf(d.stack(), d.logicalId(), d)));
            }
            doc.table(List.of("Region", "AMI name", "KMS key", "SSM parameters (AMI ID)", "Launch permissions",
                    "Copied to accounts", "Flags"), rows, Set.of(1, 3), -1);
        }
    }

    private void retention() {
        doc.heading(2, RETENTION);
        if (model.retention().isEmpty()) {
            doc.paragraph("No Image Builder lifecycle policy in any template: old images are kept until removed "
                    + "by hand.");
            return;
        }
        List<List<String>> rows = new ArrayList<>();
        for (Retention r : model.retention()) {
            rows.add(List.of(r.stack(), r.name(), r.status(), r.resourceType(), lines(r.rules()), r.selection(),
                    r.executionRole()));
        }
        groups.table(doc, List.of("Stack", "Lifecycle policy", "Status", "Resource type", "Rules", "Images selected",
                "Execution role"), 0, rows, Set.of(1, 6), -1);
    }

    private void nag() {
        doc.heading(2, NAG);
        List<NagResult> results = model.nagResults();
        if (results.isEmpty()) {
            doc.paragraph("The assembly holds no cdk-nag report (<Pack>-<stack>-NagReport.csv).");
        } else {
            Map<String, Map<String, Long>> byStack = new LinkedHashMap<>();
            results.forEach(r -> byStack.computeIfAbsent(r.stack() + "\n" + r.pack(), k -> new LinkedHashMap<>())
                    .merge(r.compliance(), 1L, Long::sum));
            List<List<String>> rows = new ArrayList<>();
            byStack.forEach((key, counts) -> {
                String[] parts = key.split("\n", 2);
                rows.add(List.of(parts[0], parts[1], String.valueOf(counts.getOrDefault(NagResult.COMPLIANT, 0L)),
                        String.valueOf(counts.getOrDefault(NagResult.SUPPRESSED, 0L)),
                        String.valueOf(counts.entrySet().stream().filter(e -> !e.getKey().equals(NagResult.COMPLIANT)
                                && !e.getKey().equals(NagResult.SUPPRESSED)).mapToLong(Map.Entry::getValue).sum())));
            });
            doc.paragraph("From the NagReport CSV files: each rule's verdict on each resource.");
            groups.table(doc, List.of("Stack", "Rule pack", "Compliant", "Suppressed", "Not compliant"), 0, rows, Set.of(),
                    -1);
            List<List<String>> findings = new ArrayList<>();
            results.stream().filter(r -> !r.compliance().equals(NagResult.COMPLIANT)).forEach(r -> findings.add(
                    List.of(r.stack(), r.ruleId(), r.resourcePath(), r.compliance(), r.reason(), r.info())));
            doc.heading(3, "Findings not compliant or suppressed");
            if (findings.isEmpty()) {
                doc.paragraph("None: every rule passed on every resource.");
            } else {
                groups.table(doc, List.of("Stack", "Rule", "Resource", "Verdict", "Reason", "Rule says"), 0, findings,
                        Set.of(1, 2), -1);
            }
        }
        doc.heading(3, "Suppressions recorded in the templates");
        List<List<String>> rows = new ArrayList<>();
        for (Suppression s : model.suppressions()) {
            rows.add(List.of(s.stack(), s.path(), s.tool(), s.ruleId(), lines(s.appliesTo()),
                    s.reason().isEmpty() ? "(no reason recorded)" : s.reason()));
        }
        if (rows.isEmpty()) {
            doc.paragraph("None.");
        } else {
            doc.paragraph("cdk-nag's rules_to_suppress and cfn-lint's ignore_checks in each resource's Metadata.");
            groups.table(doc, List.of("Stack", "Resource", "Tool", "Rule", "Applies to", "Reason"), 0, rows,
                    Set.of(1, 3, 4), -1);
        }
    }

    /** The flags raised on one fact of one resource, one per line. */
    private String flagsOf(final String stack, final String logicalId, final Object fact) {
        return report.flags().stream()
                .filter(f -> f.stack().equals(stack) && f.logicalId().equals(logicalId) && f.fact().equals(fact))
                .map(f -> f.severity().name() + " " + f.ruleId() + (f.acknowledgement().isEmpty() ? "" : " (accepted)"))
                .distinct().collect(Collectors.joining("\n"));
    }

    private static String lines(final List<String> values) {
        return String.join("\n", values);
    }
}
