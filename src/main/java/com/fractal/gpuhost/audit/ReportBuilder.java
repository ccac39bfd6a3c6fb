package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.model.AuditModel;
import com.fractal.gpuhost.audit.model.Distribution;
import com.fractal.gpuhost.audit.model.IamRole;
import com.fractal.gpuhost.audit.model.NagResult;
import com.fractal.gpuhost.audit.model.SecurityGroup;
import com.fractal.gpuhost.audit.render.Markdown;
import com.fractal.gpuhost.nag.ProjectChecks;
import com.fractal.gpuhost.nag.RulesDoc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
    static final String NAG = "cdk-nag results";
    static final String SUMMARY = "Summary";
    static final String CONTROL_TOWER = "AWS Control Tower proactive controls";
    /** The summary's status when a check needs no attention. */
    static final String OK = "OK";
    /** Control Tower results: a failure not listed, an exception that no longer fails, a listed failure. */
    static final String FAILED = "FAILED";
    static final String STALE = "STALE";
    static final String EXCEPTED = "EXCEPTED";
    private static final int NO_SEVERITY = -1;
    /** Where every rule is defined: in its group's own properties (Assembly refuses separate rule resources). */
    private static final String INLINE = "inline";

    private final AuditReport report;
    private final AuditModel model;
    private final RegionGroups groups;
    private final Markdown doc = new Markdown(UnaryOperator.identity());

    ReportBuilder(final AuditReport report) {
        this.report = report;
        this.model = report.model();
        this.groups = new RegionGroups(model.stacks());
    }

    String build() {
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
        return doc.document(TITLE);
    }

    private void introduction() {
        doc.paragraph("Assembly:", report.assembly() + ": " + model.stacks().size() + " stacks in " + model.stacks()
                .stream().map(StackTemplate::region).distinct().count() + " regions, " + model.stacks().stream()
                        .mapToInt(StackTemplate::resourceTotal).sum() + " resources." + report.baseline()
                                .map(b -> " Baseline: " + b + ".").orElse(""));
        doc.paragraph("How to read it:", "every fact is read from the synthesized templates and cdk-nag's reports, "
                + "not from the code. Values known only at deploy time are shown as {Ref: X} (a resource's ID), "
                + "{GetAtt: X.Arn} (its attribute), ${AWS::AccountId} (a pseudo parameter) and ssm:/name (an SSM "
                + "parameter resolved at deploy time). Flags are cdk-nag's findings, what an auditor should look at; "
                + "an accepted one shows its suppression's reason. A stack deployed to several regions is named <name>-"
                + RegionGroups.REGION + ", and a fact that is the same in each of them is shown once, with the "
                + "regions where it holds (\"all 7 regions\", or the list where they differ).");
    }

    /** What needs attention, before any detail: cdk-nag's verdict, Control Tower's. */
    private void summary() {
        doc.heading(2, SUMMARY);
        long unsuppressed = report.flags().size() - report.accepted();
        List<List<String>> rows = new ArrayList<>(List.of(
                List.of(unsuppressed == 0 ? OK : FAILED, "cdk-nag findings not suppressed", String.valueOf(unsuppressed)),
                List.of(OK, "cdk-nag findings accepted (suppressed, with the reason)", String.valueOf(report.accepted()))));
        report.controlTower().ifPresent(ct -> rows.add(List.of(ct.unlisted().isEmpty() && ct.stale().isEmpty()
                ? OK : FAILED, "Control Tower proactive controls", ct.verdict() + ", " + ct.passedControls()
                        + " controls passed")));
        doc.table(List.of("Status", "Check", "Result"), rows, Set.of(), 0);
    }

    /**
     * cdk-nag's findings (AwsSolutions and the project's pack), by rule, then each one; then the project's rules and
     * the accepted risks, as docs/audit.md shows them (RulesDoc).
     */
    private void flags() {
        doc.heading(2, FLAGS);
        List<NagResult> flags = report.flags();
        doc.paragraph(flags.size() + " cdk-nag findings, " + report.accepted() + " of them accepted: a finding is a "
                + "rule of AwsSolutions or of the project's pack (" + ProjectChecks.PACK + ") that a resource does not "
                + "pass; an accepted one carries the suppression's reason.");
        if (!flags.isEmpty()) {
            doc.table(List.of("Rule", "Level", "Findings", "Accepted", "Accepted because", "Stacks"),
                    byKey(flags, NagResult::ruleId).values().stream().map(found -> List.of(found.get(0).ruleId(),
                            found.get(0).level(), String.valueOf(found.size()),
                            String.valueOf(found.stream().filter(NagResult::accepted).count()),
                            found.stream().map(NagResult::reason).filter(r -> !r.equals("N/A")).distinct()
                                    .collect(Collectors.joining("\n")),
                            groups.stacks(found.stream().map(NagResult::stack).distinct().toList()))).toList(),
                    Set.of(0), NO_SEVERITY);
            groups.table(doc, List.of("Rule", "Stack", "Resource", "Construct", "Accepted"), 1, flags.stream()
                    .map(f -> List.of(f.ruleId(), f.stack(), f.logicalId(), f.resourcePath(), f.accepted() ? "yes"
                            : "NO")).toList(), Set.of(0, 2, 3), NO_SEVERITY);
        }
        doc.append(RulesDoc.tables());
    }

    /**
     * Control Tower's proactive controls: what fails and is not listed, stale exceptions, what fails by design
     * (with the accepted risk's reason), then the controls that pass.
     */
    private void controlTower(final ControlTowerResults ct) {
        doc.heading(2, CONTROL_TOWER);
        doc.paragraph("cfn-guard with AWS Control Tower's proactive-control rules (npm package "
                + "@cdklabs/cdk-validator-cfnguard) over every template, as " + ControlTowerResults.GATE + " runs them "
                + "in npm test: " + ct.controls() + " controls, " + ct.passedControls() + " passed, " + ct.failures()
                        .stream().map(ControlTowerResults.Failure::control).distinct().count() + " failed; "
                + ct.verdict() + " (a resource's accepted risk names the control). "
                + "The other controls do not apply (no resource of their type).");
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
        doc.table(List.of("Control", "Control requires", "Passed in"), byKey(ct.passed(),
                ControlTowerResults.Passed::control).entrySet().stream().map(e -> List.of(e.getKey(), ct.title(
                        e.getKey()), groups.stacks(e.getValue().stream().map(ControlTowerResults.Passed::stack)
                                .toList()))).toList(), Set.of(0), NO_SEVERITY);
    }

    private void changes(final List<Change> changes) {
        doc.heading(2, CHANGES);
        if (changes.isEmpty()) {
            doc.paragraph("Nothing changed in the report's terms.");
            return;
        }
        Map<String, List<Change>> byCategory = byKey(changes, Change::category);
        doc.paragraph(changes.size() + " changes: " + byCategory.entrySet().stream()
                .map(e -> e.getValue().size() + " in " + e.getKey().toLowerCase()).collect(Collectors.joining(", "))
                + ".");
        byCategory.forEach((category, inIt) -> {
            doc.heading(3, category);
            groups.table(doc, List.of("Change", "Stack", "What", "Detail"), 1, inIt.stream().map(c -> List.of(
                    label(c.kind()), c.stack(), c.subject(), c.detail())).toList(), Set.of(2), NO_SEVERITY);
        });
    }

    private void stacks() {
        doc.heading(2, STACKS);
        groups.table(doc, List.of("Stack", "Account", "Description", "Resources", "Template"), 0, model.stacks()
                .stream().map(stack -> List.of(stack.name(), stack.account(), stack.description(),
                        String.valueOf(stack.resourceTotal()), stack.templateFile())).toList(), Set.of(0, 4),
                NO_SEVERITY);
        List<RegionGroups.Section> sections = new ArrayList<>();
        model.stacks().forEach(stack -> groups.section(sections, stack.name(), stack.name()).table(List.of(
                "Resource type", "Count"), stack.sortedCounts().entrySet().stream().map(e -> List.of(e.getKey(),
                        String.valueOf(e.getValue()))).toList(), Set.of(0), NO_SEVERITY));
        groups.sections(doc, 3, sections);
    }

    private void securityGroups() {
        doc.heading(2, SECURITY_GROUPS);
        if (model.securityGroups().isEmpty()) {
            doc.paragraph("No security group in any template.");
        }
        List<RegionGroups.Section> sections = new ArrayList<>();
        for (SecurityGroup group : model.securityGroups()) {
            Markdown part = groups.section(sections, group.stack(), title(group.stack(), group.name(),
                    group.logicalId())).paragraph(group.description() + " (resource " + group.logicalId()
                            + (group.vpc().isEmpty() ? "" : ", VPC " + group.vpc()) + ")");
            if (group.rules().isEmpty()) {
                part.paragraph("No rules.");
                continue;
            }
            part.table(List.of("Direction", "Protocol", "Ports", "Source / destination", "Description", "Defined by",
                    "Flags"), group.rules().stream().map(rule -> List.of(label(rule.direction()), rule.protocol(),
                            rule.ports(), rule.peer() + (rule.peerKind().isEmpty() ? "" : "\n(" + rule.peerKind() + ")"),
                            rule.description(), INLINE, flagsOf(group.stack(), group.logicalId()))).toList(),
                    Set.of(3), NO_SEVERITY);
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
            Markdown part = groups.section(sections, role.stack(), title(role.stack(), role.roleName(),
                    role.logicalId())).paragraph(Stream.of(role.description(), "resource " + role.logicalId(), role
                            .maxSessionDuration().isEmpty() ? "" : "maximum session " + role.maxSessionDuration()
                                    + " s", role.permissionsBoundary().isEmpty() ? "" : "permissions boundary "
                                            + role.permissionsBoundary()).filter(about -> !about.isEmpty())
                            .collect(Collectors.joining("; ", "", ".")));
            if (!role.trust().isEmpty()) {
                part.paragraph("Trust policy:", "who may assume the role.");
                part.table(List.of("Effect", "Principals", "Actions", "Conditions", "Flags"), role.trust().stream()
                        .map(s -> List.of(s.effect(), lines(s.principals()), lines(s.actions()), lines(s.conditions()),
                                flagsOf(role.stack(), role.logicalId()))).toList(), Set.of(1, 2, 3), NO_SEVERITY);
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
            part.table(List.of("Policy", "Sid", "Effect", "Actions", "Resources", "Conditions", "Flags"), role
                    .permissions().stream().map(s -> List.of(s.source(), s.sid(), s.effect(),
                            lines(s.actions(), s.notActions(), "NotAction "),
                            lines(s.resources(), s.notResources(), "NotResource "), lines(s.conditions()),
                            flagsOf(role.stack(), s.definedIn()))).toList(), Set.of(3, 4, 5), NO_SEVERITY);
        }
        groups.sections(doc, 3, sections);
    }

    private void encryption() {
        doc.heading(2, ENCRYPTION);
        doc.paragraph("EBS volumes (launch templates, instances, image recipes), buckets and topics. An AMI's snapshots "
                + "are its recipe's volumes, copied with the KMS key that " + DISTRIBUTION + " names for each region.");
        groups.table(doc, List.of("Kind", "Stack", "Resource", "What", "Encrypted", "Key / detail", "Flags"), 1,
                model.encryption().stream().map(e -> List.of(label(e.kind()), e.stack(), e.logicalId(), e.subject(),
                        e.encrypted() == null ? "not set" : e.encrypted() ? "yes" : "NO", e.detail(),
                        flagsOf(e.stack(), e.logicalId()))).toList(), Set.of(2, 5), NO_SEVERITY);
    }

    private void instanceMetadata() {
        doc.heading(2, METADATA);
        doc.paragraph("IMDSv2 is required when HttpTokens is \"required\"; otherwise IMDSv1 answers too.");
        groups.table(doc, List.of("Stack", "Resource", "Type", "HttpTokens", "IMDSv2 only", "Detail", "Flags"), 0,
                model.instanceMetadata().stream().map(m -> List.of(m.stack(), m.logicalId(), m.resourceType(),
                        m.httpTokens() == null ? "not set" : m.httpTokens(), m.requiresV2() ? "yes" : "NO", m.detail(),
                        flagsOf(m.stack(), m.logicalId()))).toList(), Set.of(1, 2), NO_SEVERITY);
    }

    private void distribution() {
        doc.heading(2, DISTRIBUTION);
        if (model.distributions().isEmpty()) {
            doc.paragraph("No Image Builder distribution configuration in any template.");
        }
        byKey(model.distributions(), d -> d.stack() + " / " + d.configurationName()).forEach((name, regions) -> {
            doc.heading(3, name);
            doc.paragraph(regions.size() + " regions: " + regions.stream().map(Distribution::region)
                    .collect(Collectors.joining(", ")) + ". AMI name pattern: " + regions.stream()
                            .map(Distribution::amiName).distinct().collect(Collectors.joining(", ")) + ".");
            doc.table(List.of("Region", "AMI name", "KMS key", "SSM parameters (AMI ID)", "Launch permissions",
                    "Copied to accounts", "Flags"), regions.stream().map(d -> List.of(d.region(), d.amiName(),
                            d.kmsKey().isEmpty() ? "not set" : d.kmsKey(), lines(d.ssmParameters()),
                            d.launchPermissions().isEmpty() ? "owning account only" : lines(d.launchPermissions()),
                            d.targetAccounts().isEmpty() ? "owning account" : lines(d.targetAccounts()),
                            flagsOf(d.stack(), d.logicalId()))).toList(), Set.of(1, 3), NO_SEVERITY);
        });
    }

    private void retention() {
        doc.heading(2, RETENTION);
        if (model.retention().isEmpty()) {
            doc.paragraph("No Image Builder lifecycle policy in any template: old images are kept until removed "
                    + "by hand.");
            return;
        }
        groups.table(doc, List.of("Stack", "Lifecycle policy", "Status", "Resource type", "Rules", "Images selected",
                "Execution role"), 0, model.retention().stream().map(r -> List.of(r.stack(), r.name(), r.status(),
                        r.resourceType(), lines(r.rules()), r.selection(), r.executionRole())).toList(), Set.of(1, 6),
                NO_SEVERITY);
    }

    private void nag() {
        doc.heading(2, NAG);
        if (model.nagResults().isEmpty()) {
            doc.paragraph("The assembly holds no cdk-nag report (<Pack>-<stack>-NagReport.json).");
            return;
        }
        doc.paragraph("From cdk-nag's JSON reports: each rule's verdict on each resource; the findings, each accepted "
                + "one with its suppression's reason, are under " + FLAGS + ".");
        groups.table(doc, List.of("Stack", "Rule pack", "Compliant", "Suppressed", "Not compliant"), 0,
                byKey(model.nagResults(), r -> r.stack() + "\n" + r.pack()).values().stream().map(results -> List.of(
                        results.get(0).stack(), results.get(0).pack(), count(results, NagResult.COMPLIANT),
                        count(results, NagResult.SUPPRESSED), String.valueOf(results.stream().filter(r -> r.isFlag()
                                && !r.accepted()).count()))).toList(), Set.of(), NO_SEVERITY);
    }

    /** cdk-nag's findings on one resource, one per line. */
    private String flagsOf(final String stack, final String logicalId) {
        return report.flags().stream().filter(f -> f.stack().equals(stack) && f.logicalId().equals(logicalId))
                .map(f -> f.ruleId() + (f.accepted() ? " (accepted)" : "")).distinct()
                .collect(Collectors.joining("\n"));
    }

    /** An enum constant as the report writes it: "ingress", "volume", "added". */
    private static String label(final Enum<?> value) {
        return value.name().toLowerCase();
    }

    /** A per-stack section's title: the stack, then the resource's name when it has one, else its logical ID. */
    private static String title(final String stack, final String name, final String logicalId) {
        return stack + " / " + (name.isEmpty() ? logicalId : name);
    }

    private static String count(final List<NagResult> results, final String compliance) {
        return String.valueOf(results.stream().filter(r -> r.compliance().equals(compliance)).count());
    }

    private static <T> Map<String, List<T>> byKey(final List<T> items, final Function<T, String> key) {
        return items.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toList()));
    }

    private static String lines(final List<String> values) {
        return String.join("\n", values);
    }

    /** The values, then the negated ones after their label ("NotAction ..."), one a line. */
    private static String lines(final List<String> values, final List<String> negated, final String label) {
        return Stream.concat(values.stream(), negated.stream().map(value -> label + value))
                .collect(Collectors.joining("\n"));
    }
}
