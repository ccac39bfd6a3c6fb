package com.fractal.gpuhost.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.audit.rules.Flag;
import com.fractal.gpuhost.audit.rules.Severity;
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
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;

/** A stack built here with what the report must catch: SSH open to the world and a wildcard policy. */
class FlaggedStackTest {
    private static AuditReport report;

    @BeforeAll
    static void synthesize() throws IOException {
        Path outdir = Files.createTempDirectory("cdk-audit-flagged-");
        App app = new App(AppProps.builder().outdir(outdir.toString()).build());
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
        app.synth();
        report = AuditReport.of(outdir);
    }

    @Test
    void sshOpenToTheWorldIsCritical() {
        List<Flag> critical = report.flags().stream().filter(f -> f.severity() == Severity.CRITICAL).toList();
        assertEquals(1, critical.size(), critical::toString);
        Flag ssh = critical.get(0);
        assertEquals("WorldOpenSshOrRdp", ssh.ruleId());
        assertEquals("AuditFlagged", ssh.stack());
        assertEquals("bastion: ingress tcp 22 from 0.0.0.0/0", ssh.subject());
        assertEquals("", ssh.acknowledgement(), "no cdk-nag suppression accepts it");
        assertTrue(report.flags().stream().noneMatch(f -> f.subject().contains("3389")), "RDP from a private range");
    }

    @Test
    void wildcardActionAndResourceAreFlaggedOnThePolicy() {
        List<Flag> wildcards = report.flags().stream().filter(f -> f.ruleId().startsWith("Wildcard")).toList();
        assertEquals(List.of("WildcardAction", "WildcardResource"), wildcards.stream().map(Flag::ruleId).toList());
        assertTrue(wildcards.stream().allMatch(f -> f.severity() == Severity.HIGH), wildcards::toString);
        assertTrue(wildcards.stream().allMatch(f -> f.logicalId().startsWith("AdminDefaultPolicy")), wildcards::toString);
        assertTrue(wildcards.get(0).message().startsWith("every action"), wildcards.get(0).message());
    }

    @Test
    void theReportSaysSoFirst() {
        String markdown = report.markdown();
        assertTrue(markdown.contains("3 flags: 1 critical, 2 high, 0 medium, 0 low."), markdown);
        assertTrue(markdown.indexOf("**CRITICAL** | `WorldOpenSshOrRdp`") < markdown.indexOf("## Stacks"));
        assertTrue(markdown.contains("| ingress | tcp | 22 | `0.0.0.0/0`<br>`(CidrIp)` | SSH from anywhere | inline | "
                + "CRITICAL WorldOpenSshOrRdp |"), markdown);
        assertTrue(report.html().contains("<td class=\"sev sev-critical\">CRITICAL</td>"));
        assertTrue(markdown.contains("The assembly holds no cdk-nag report"), "no nag aspect on this app");
    }

    @Test
    void controlTowerFailuresNotListedAndStaleExceptionsComeFirstAndShowInTheSummary() {
        ControlTowerResults ct = new ControlTowerResults(237, Map.of("CT.EC2.PR.3", "No 0.0.0.0/0 but on 80 and 443"),
                List.of("AuditFlagged"), List.of(new ControlTowerResults.Passed("CT.IAM.PR.4", "AuditFlagged")),
                List.of(new ControlTowerResults.Failure("CT.EC2.PR.4", "AuditFlagged", "Bastion", true, "by design"),
                        new ControlTowerResults.Failure("CT.EC2.PR.3", "AuditFlagged", "Bastion", false, "")),
                List.of(new ControlTowerResults.Stale("CT.S3.PR.9", "AuditFlagged", "Bucket*", "no longer true")));
        AuditReport withControlTower = report.withControlTower(ct);
        String markdown = withControlTower.markdown();
        assertTrue(markdown.contains("| **HIGH** | Control Tower proactive controls | 1 failures not listed, 1 stale "
                + "exceptions, 1 failures excepted by design, 1 controls passed |"), markdown);
        int unlisted = markdown.indexOf("| **FAILED** | `CT.EC2.PR.3` | AuditFlagged | eu-west-1 | `Bastion` | "
                + "No 0.0.0.0/0 but on 80 and 443 | not listed in control-tower-exceptions.json");
        int stale = markdown.indexOf("| **STALE** | `CT.S3.PR.9` | AuditFlagged | eu-west-1 | `Bucket*` |  | "
                + "listed, but no longer fails: remove the exception (no longer true) |");
        int excepted = markdown.indexOf("| **EXCEPTED** | `CT.EC2.PR.4` | AuditFlagged | eu-west-1 | `Bastion` |  | "
                + "by design |");
        assertTrue(unlisted > 0 && stale > unlisted && excepted > stale, markdown);
        assertTrue(markdown.contains("| `CT.IAM.PR.4` |  | AuditFlagged |"), "the passed control and where");
        assertTrue(withControlTower.html().contains("<td class=\"sev sev-failed\">FAILED</td>"), "in red, in HTML");
    }
}
