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
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.nag.ProjectChecks;
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
                + "parameter resolved at deploy time). Flags are cdk-nag's findings, what an auditor should look at; "
                + "an accepted one shows its suppression's reason. A stack deployed "
                + "to several regions is named <name>-" + RegionGroups.REGION + ", and a fact that is the same in each of them is shown once, with the "
                + "regions where it holds (\"all 7 regions\", or the list where they differ).");
    }

    /** What needs attention, before any detail: cdk-nag's verdict, Control Tower's. */
    private void summary() {
        doc.heading(2, SUMMARY);
        List<List<String>> rows = new ArrayList<>();
        long unsuppressed = report.flags().size() - report.accepted();
        rows.add(List.of(unsuppressed == 0 ? OK : FAILED, "cdk-nag findings not suppressed", String.valueOf(unsuppressed)));
        rows.add(List.of(OK, "cdk-nag findings accepted (suppressed, with the reason)", String.valueOf(report.accepted())));
        report.controlTower().ifPresent(ct -> rows.add(List.of(ct.unlisted().isEmpty() && ct.stale().isEmpty()
                ? OK : FAILED, "Control Tower proactive controls", ct.unlisted().size()
                        + " failures not accepted, " + ct.stale().size() + " stale accepted risks, " + ct.excepted().size()
                        + " failures accepted by design, " + ct.passed().stream().map(ControlTowerResults.Passed::control)
                                .distinct().count() + " controls passed")));
        doc.table(List.of("Status", "Check", "Result"), rows, Set.of(), 0);
    }

    /**
     * cdk-nag's findings (AwsSolutions and the project's pack), by rule, then each one; then the project's rules and
     * the accepted risks, each declared once in AcceptedRisk.
     */
    private void flags() {
        doc.heading(2, FLAGS);
        List<NagResult> flags = report.flags();
        doc.paragraph(flags.size() + " cdk-nag findings, " + report.accepted() + " of them accepted: a finding is a "
                + "rule of AwsSolutions or of the project's pack (" + ProjectChecks.PACK + ") that a resource does not "
                + "pass; an accepted one carries the suppression's reason.");
        if (!flags.isEmpty()) {
            Map<String, List<NagResult>> byRule = new LinkedHashMap<>();
            flags.forEach(f -> byRule.computeIfAbsent(f.ruleId(), k -> new ArrayList<>()).add(f));
            List<List<String>> summary = new ArrayList<>();
            byRule.forEach((rule, found) -> summary.add(List.of(rule, found.get(0).level(), String.valueOf(found.size()),
                    String.valueOf(found.stream().filter(NagResult::accepted).count()),
                    found.stream().map(NagResult::reason).filter(r -> !r.equals("N/A")).distinct()
                            .collect(Collectors.joining("\n")),
                    groups.stacks(found.stream().map(NagResult::stack).distinct().toList()))));
            doc.table(List.of("Rule", "Level", "Findings", "Accepted", "Accepted because", "Stacks"), summary,
                    Set.of(0), -1);
            List<List<String>> rows = new ArrayList<>();
            flags.forEach(f -> rows.add(List.of(f.ruleId(), f.stack(), f.logicalId(), f.resourcePath(),
                    f.accepted() ? "yes" : "NO")));
            groups.table(doc, List.of("Rule", "Stack", "Resource", "Construct", "Accepted"), 1, rows,
                    Set.of(0, 2, 3), -1);
        }
        doc.heading(3, "The project's rules");
        List<List<String>> rules = new ArrayList<>();
        ProjectChecks.RULES.forEach(rule -> rules.add(List.of(ProjectChecks.PACK + "-" + rule.id(), rule.resourceType(),
                rule.info())));
        doc.table(List.of("Rule", "Checks", "Flags"), rules, Set.of(0, 1), -1);
        doc.heading(3, "Accepted risks");
        List<List<String>> risks = new ArrayList<>();
        for (AcceptedRisk risk : AcceptedRisk.values()) {
            risks.add(List.of(risk.name(), lines(risk.nagRules()), lines(risk.controls()), risk.reason()));
        }
        doc.table(List.of("Risk", "cdk-nag rules", "Control Tower controls", "Reason"), risks, Set.of(0, 1, 2), -1);
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
                + ct.unlisted().size() + " failures not accepted, " + ct.stale().size() + " stale accepted risks, "
                + ct.excepted().size() + " failures accepted by design (a resource's accepted risk names the control). The other "
                + "controls do not apply (no resource of their type).");
        List<List<String>> failing = new ArrayList<>();
        ct.failures().forEach(f -> failing.add(List.of(f.excepted() ? EXCEPTED : FAILED, f.control(), f.stack(),
                f.resource(), ct.title(f.control()), f.excepted() ? f.risk() + ": " + f.reason()
                        : "no accepted risk: fix it, or accept it with its reason in AcceptedRisk")));
        ct.stale().forEach(e -> failing.add(List.of(STALE, e.control(), e.stack(), e.resource(),
                ct.title(e.control()), e.risk() + " no longer fails: remove the accepted risk (" + e.reason() + ")")));
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
                        rule.description(), rule.definedBy(), flagsOf(group.stack(), group.logicalId())));
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
                            flagsOf(role.stack(), role.logicalId())));
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
                        lines(s.conditions()), flagsOf(role.stack(), s.definedIn())));
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
                    flagsOf(e.stack(), e.logicalId())));
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
                    : m.httpTokens(), m.requiresV2() ? "yes" : "NO", m.detail(), flagsOf(m.stack(), m.logicalId())));
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
                        flagsOf(d.stack(), d.logicalId())));
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
            doc.paragraph("The assembly holds no cdk-nag report (<Pack>-<stack>-NagReport.json).");
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
            doc.paragraph("From cdk-nag's JSON reports: each rule's verdict on each resource; the findings are under "
                    + FLAGS + ".");
            groups.table(doc, List.of("Stack", "Rule pack", "Compliant", "Suppressed", "Not compliant"), 0, rows, Set.of(),
                    -1);
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

    /** cdk-nag's findings on one resource, one per line. */
    private String flagsOf(final String stack, final String logicalId) {
        return report.flags().stream().filter(f -> f.stack().equals(stack) && f.logicalId().equals(logicalId))
                .map(f -> f.ruleId() + (f.accepted() ? " (accepted)" : "")).distinct()
                .collect(Collectors.joining("\n"));
    }

    private static String lines(final List<String> values) {
        return String.join("\n", values);
    }
}
