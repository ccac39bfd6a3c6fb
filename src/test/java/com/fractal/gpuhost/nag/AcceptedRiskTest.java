package com.fractal.gpuhost.nag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.StackMessages;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.ec2.CfnSecurityGroup;
import software.constructs.Construct;

/**
 * The registry of accepted risks: each entry is complete, one call on a construct yields both the cdk-nag
 * suppression and the Control Tower exception, and the exception follows the construct when it is renamed,
 * through the real gate (scripts/check-control-tower.sh with cfn-guard).
 */
class AcceptedRiskTest {
    private static final Path CONTROL_TOWER_RULES = Path.of(
            "node_modules/@cdklabs/cdk-validator-cfnguard/rules/control-tower/cfn-guard");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyEntrySaysWhatItAcceptsAndWhy() {
        for (AcceptedRisk risk : AcceptedRisk.values()) {
            assertFalse(risk.reason().isBlank(), risk.name());
            assertFalse(risk.nagRules().isEmpty() && risk.controls().isEmpty(), risk + " accepts nothing");
            risk.nagRules().forEach(rule -> assertTrue(rule.matches("(AwsSolutions|FractalProject)-[A-Za-z0-9]+"),
                    risk + ": " + rule));
            for (String control : risk.controls()) {
                String[] parts = control.split("\\.");
                Path file = CONTROL_TOWER_RULES.resolve(parts[1].toLowerCase()).resolve("ct-" + parts[1].toLowerCase()
                        + "-pr-" + parts[3] + ".guard");
                assertTrue(Files.isRegularFile(file), risk + ": no Control Tower control " + control + " (" + file + ")");
            }
        }
    }

    @Test
    void theAssemblyDeclaresEveryControlExceptionWithItsReason() throws IOException {
        Path dir = Files.createTempDirectory("risks-");
        JsonNode written = JSON.readTree(AcceptedRisk.writeExceptions(dir).toFile());
        List<String> expected = Arrays.stream(AcceptedRisk.values()).filter(r -> !r.controls().isEmpty())
                .map(r -> r.name() + " " + r.controls() + " " + r.reason()).toList();
        List<String> actual = new ArrayList<>();
        written.path("exceptions").forEach(e -> actual.add(e.path("risk").asText() + " " + JSON.convertValue(
                e.path("controls"), List.class) + " " + e.path("reason").asText()));
        assertEquals(expected, actual);
    }

    @Test
    void aConstructWithNothingTheControlsCheckIsRefusedNamingTheEntry() {
        Stack stack = new Stack(new App(), "Empty");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AcceptedRisk.PUBLIC_SUBNETS_FOR_STREAMING.acceptOn(new Construct(stack, "NoSubnets")));
        assertEquals("accepted risk PUBLIC_SUBNETS_FOR_STREAMING: Empty/NoSubnets holds no resource of the services "
                + "its controls check (CT.EC2.PR.11)", refused.getMessage());
    }

    /**
     * A security group open to the world on a streaming port, under two construct IDs (so two logical IDs):
     * accepting the risk suppresses cdk-nag's EC23 and excepts CT.EC2.PR.3 on whichever logical ID it gets;
     * without it, both gates report it.
     */
    @Test
    void theExceptionFollowsARenamedConstructThroughBothGates() throws IOException, InterruptedException {
        Gate accepted = synthesizeAndGate("StreamingHostsRenamed", true);
        assertEquals(0, accepted.exit(), accepted.output());
        assertEquals(List.of(), accepted.nagErrors());
        assertEquals(List.of("CT.EC2.PR.3 StreamingHostsRenamed excepted STREAMING_PORTS_OPEN_TO_CLIENTS"),
                accepted.failures());

        Gate unaccepted = synthesizeAndGate("StreamingHosts", false);
        assertEquals(1, unaccepted.exit(), unaccepted.output());
        assertTrue(unaccepted.output().contains("NOT ACCEPTED  CT.EC2.PR.3 RiskFixture StreamingHosts"),
                unaccepted.output());
        assertEquals(List.of("AwsSolutions-EC23"), unaccepted.nagErrors());
    }

    private record Gate(int exit, String output, List<String> failures, List<String> nagErrors) {
    }

    private static Gate synthesizeAndGate(final String constructId, final boolean accept)
            throws IOException, InterruptedException {
        Path outdir = Files.createTempDirectory("risk-fixture-");
        App app = new App(AppProps.builder().outdir(outdir.toString()).build());
        Stack stack = new Stack(app, "RiskFixture");
        CfnSecurityGroup group = CfnSecurityGroup.Builder.create(stack, constructId)
                .groupDescription("streaming clients")
                .vpcId("vpc-0123456789abcdef0")
                .securityGroupIngress(List.of(CfnSecurityGroup.IngressProperty.builder().ipProtocol("tcp")
                        .fromPort(32262).toPort(32262).cidrIp("0.0.0.0/0").description("streaming").build()))
                .build();
        if (accept) {
            AcceptedRisk.STREAMING_PORTS_OPEN_TO_CLIENTS.acceptOn(group);
        }
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().reports(false).build()));
        app.synth();
        AcceptedRisk.writeExceptions(outdir);
        List<String> nagErrors = StackMessages.errors(stack, "AwsSolutions-")
                .stream().map(m -> StackMessages.text(m).split(":")[0]).distinct().toList();

        Path results = outdir.resolve("ct-results.json");
        Process gate = new ProcessBuilder("bash", "scripts/check-control-tower.sh", "--results", results.toString(),
                outdir.toString()).redirectErrorStream(true).start();
        String output = new String(gate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = gate.waitFor();
        List<String> failures = new ArrayList<>();
        if (Files.exists(results)) {
            String logicalId = stack.getLogicalId(group);
            JSON.readTree(results.toFile()).path("failures").forEach(f -> failures.add(f.path("control").asText() + " "
                    + (f.path("resource").asText().equals(logicalId) ? constructId : f.path("resource").asText())
                    + (f.path("excepted").asBoolean() ? " excepted " + f.path("risk").asText() : "")));
        }
        return new Gate(exit, output, failures, nagErrors);
    }
}
