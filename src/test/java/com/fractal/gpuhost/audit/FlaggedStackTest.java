package com.fractal.gpuhost.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.GpuHostApp;
import com.fractal.gpuhost.audit.model.NagResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

/**
 * A stack built here with what the report must catch, through cdk-nag's packs as the app applies them: SSH open
 * to the world, a wildcard policy, and a role anyone may assume.
 */
class FlaggedStackTest {
    private static AuditReport report;

    @BeforeAll
    static void synthesize() throws IOException {
        Path outdir = Files.createTempDirectory("cdk-audit-flagged-");
        App app = new App(AppProps.builder().outdir(outdir.toString())
                .context(Map.of("aws:cdk:enable-path-metadata", true)).build());
        Stack stack = new Stack(app, "AuditFlagged", StackProps.builder()
                .env(Environment.builder().region("eu-west-1").build()).description("What the audit must flag").build());
        IVpc vpc = Vpc.fromVpcAttributes(stack, "Vpc", VpcAttributes.builder().vpcId("vpc-12345678")
                .availabilityZones(List.of("eu-west-1a")).build());
        SecurityGroup group = SecurityGroup.Builder.create(stack, "Bastion").vpc(vpc).securityGroupName("bastion")
                .description("SSH from anywhere").allowAllOutbound(false).build();
        group.addIngressRule(Peer.anyIpv4(), Port.tcp(22), "SSH from anywhere");
        group.addIngressRule(Peer.ipv4("10.0.0.0/8"), Port.tcp(3389), "RDP from the VPN");
        Role role = Role.Builder.create(stack, "Admin").assumedBy(new ServicePrincipal("ec2.amazonaws.com")).build();
        role.addToPolicy(PolicyStatement.Builder.create().actions(List.of("*")).resources(List.of("*")).build());
        Role.Builder.create(stack, "Open").assumedBy(new AnyPrincipal()).build();
        GpuHostApp.addNagChecks(app);
        app.synth();
        report = AuditReport.of(outdir);
    }

    @Test
    void sshOpenToTheWorldAWildcardPolicyAndAnOpenTrustAreUnsuppressedFindings() {
        List<String> findings = report.flags().stream().filter(f -> !f.accepted())
                .map(f -> f.ruleId() + " " + f.logicalId()).toList();
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("AwsSolutions-EC23 Bastion")), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("AwsSolutions-IAM5 AdminDefaultPolicy")),
                findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("FractalProject-WildcardTrustPrincipal Open")),
                findings::toString);
        assertTrue(report.flags().stream().noneMatch(NagResult::accepted), "nothing here is suppressed");
    }

    @Test
    void theReportSaysSoFirst() {
        String markdown = report.markdown();
        assertTrue(markdown.contains("| **FAILED** | cdk-nag findings not suppressed | " + report.flags().size() + " |"),
                markdown);
        assertTrue(markdown.indexOf("| `AwsSolutions-EC23` | Error |") < markdown.indexOf("## Stacks"), markdown);
        assertTrue(markdown.contains("| ingress | tcp | 22 | `0.0.0.0/0`<br>`(CidrIp)` | SSH from anywhere | inline | "
                + "AwsSolutions-EC23 |"), markdown);
        assertTrue(report.html().contains("<td><strong class=\"failed\">FAILED</strong></td>"), "in red, in HTML");
        assertTrue(report.html().contains("td:has(>strong.failed){color:#fff;background:#a40e26}"), "red");
    }

    @Test
    void controlTowerFailuresNotListedAndStaleExceptionsComeFirstAndShowInTheSummary() {
        ControlTowerResults ct = new ControlTowerResults(237, Map.of("CT.EC2.PR.3", "No 0.0.0.0/0 but on 80 and 443"),
                List.of(new ControlTowerResults.Passed("CT.IAM.PR.4", "AuditFlagged")),
                List.of(new ControlTowerResults.Failure("CT.EC2.PR.4", "AuditFlagged", "Bastion", true, "OPEN_BY_DESIGN",
                        "by design"), new ControlTowerResults.Failure("CT.EC2.PR.3", "AuditFlagged", "Bastion", false, "",
                        "")),
                List.of(new ControlTowerResults.Stale("LOCKED_BUCKET", "CT.S3.PR.9", "AuditFlagged", "Bucket", "no longer true")));
        AuditReport withControlTower = report.withControlTower(ct);
        String markdown = withControlTower.markdown();
        assertTrue(markdown.contains("| **FAILED** | Control Tower proactive controls | 1 failures not accepted, 1 stale "
                + "accepted risks, 1 failures accepted by design, 1 controls passed |"), markdown);
        int unlisted = markdown.indexOf("| **FAILED** | `CT.EC2.PR.3` | AuditFlagged | eu-west-1 | `Bastion` | "
                + "No 0.0.0.0/0 but on 80 and 443 | no accepted risk: fix it, or accept it with its reason in AcceptedRisk");
        int stale = markdown.indexOf("| **STALE** | `CT.S3.PR.9` | AuditFlagged | eu-west-1 | `Bucket` |  | "
                + "LOCKED\\_BUCKET no longer fails: remove the accepted risk (no longer true) |");
        int excepted = markdown.indexOf("| **EXCEPTED** | `CT.EC2.PR.4` | AuditFlagged | eu-west-1 | `Bastion` |  | "
                + "OPEN\\_BY\\_DESIGN: by design |");
        assertTrue(unlisted > 0 && stale > unlisted && excepted > stale, markdown);
        assertTrue(markdown.contains("| `CT.IAM.PR.4` |  | AuditFlagged |"), "the passed control and where");
    }
}
