package com.fractal.gpuhost.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A missing or malformed assembly: one clear line, no stack trace, a non-zero exit, no report written. */
class AssemblyErrorsTest {
    private static final String STACK_MANIFEST = """
            {"version": "54.0.0", "artifacts": {"Broken": {"type": "aws:cloudformation:stack",
              "environment": "aws://unknown-account/us-east-1", "properties": {"templateFile": "Broken.template.json"}}}}
            """;
    private static final String TEMPLATE = "{\"Resources\": {}}";

    @TempDir
    Path dir;

    @Test
    void missingDirectory() {
        expect(dir.resolve("nowhere"), "no cloud assembly at " + dir.resolve("nowhere")
                + ": the directory does not exist (synthesize first: npm run synth)");
    }

    @Test
    void aFileInsteadOfADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "x");
        expect(file, "no cloud assembly at " + file + ": it is a file, not a directory");
    }

    @Test
    void noManifest() {
        expect(dir, dir + " is not a cloud assembly: it has no manifest.json (synthesize first: npm run synth)");
    }

    @Test
    void malformedManifest() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), "{\"artifacts\": {");
        expect(dir, dir.resolve("manifest.json") + " is not valid JSON: ");
    }

    @Test
    void manifestWithoutArtifacts() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), "[1, 2]");
        expect(dir, dir.resolve("manifest.json") + " is not a cloud assembly manifest: it has no \"artifacts\" object");
    }

    @Test
    void manifestWithoutStacks() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), "{\"artifacts\": {\"Tree\": {\"type\": \"cdk:tree\"}}}");
        expect(dir, dir.resolve("manifest.json") + " names no CloudFormation stack");
    }

    @Test
    void templateNamedButMissing() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), STACK_MANIFEST);
        expect(dir, "stack Broken: its template " + dir.resolve("Broken.template.json")
                + ", named in manifest.json, does not exist");
    }

    @Test
    void malformedTemplate() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), STACK_MANIFEST);
        Files.writeString(dir.resolve("Broken.template.json"), "{\"Resources\": {\"A\": }");
        expect(dir, "stack Broken: " + dir.resolve("Broken.template.json") + " is not valid JSON: ");
    }

    @Test
    void templateWithoutResources() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), STACK_MANIFEST);
        Files.writeString(dir.resolve("Broken.template.json"), "{\"Description\": \"no resources\"}");
        expect(dir, "stack Broken: " + dir.resolve("Broken.template.json")
                + " is not a CloudFormation template: it has no \"Resources\" object");
    }

    @Test
    void malformedNagReport() throws IOException {
        Files.writeString(dir.resolve("manifest.json"), STACK_MANIFEST);
        Files.writeString(dir.resolve("Broken.template.json"), TEMPLATE);
        Files.writeString(dir.resolve("AwsSolutions-Broken-NagReport.json"), "{\"rows\": []}");
        expect(dir, "AwsSolutions-Broken-NagReport.json is not a cdk-nag report: it has no \"lines\" array");
    }

    /** A resource shape the report does not read, in a one-stack template, and the line that refuses it. */
    static Stream<Arguments> shapesTheReportDoesNotRead() {
        return Stream.of(Arguments.of("""
                {"Resources": {"Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g"}},
                  "Ssh": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": {"Ref": "Group"}}}}}
                """, "stack Broken: the report does not read AWS::EC2::SecurityGroupIngress (resource Ssh), which no "
                + "stack of the project makes"), Arguments.of("""
                {"Resources": {"Policy": {"Type": "AWS::IAM::Policy", "Properties": {"Roles": ["imported-role"],
                  "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}}}}
                """, "stack Broken: policy Policy is attached to imported-role, a role from outside the template, "
                + "which the report does not read"), Arguments.of("""
                {"Resources": {"Host": {"Type": "AWS::EC2::Instance", "Properties": {"ImageId": "ami-12345678",
                  "BlockDeviceMappings": [{"DeviceName": "/dev/sda1", "Ebs": {"Encrypted": false}}]}}}}
                """, "stack Broken: instance Host sets its own volumes or metadata options, or has no launch template "
                + "in its template, where the report reads them"));
    }

    /** Facts the report does not read are refused, not left out: no stack of the project makes them. */
    @ParameterizedTest
    @MethodSource("shapesTheReportDoesNotRead")
    void aShapeTheReportDoesNotReadIsRefused(final String template, final String message) throws IOException {
        Files.writeString(dir.resolve("manifest.json"), STACK_MANIFEST);
        Files.writeString(dir.resolve("Broken.template.json"), template);
        expect(dir, message);
    }

    @Test
    void aGoodMinimalAssemblyIsReported(@TempDir final Path out) throws IOException {
        Files.writeString(dir.resolve("manifest.json"), STACK_MANIFEST);
        Files.writeString(dir.resolve("Broken.template.json"), TEMPLATE);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = AuditReportCli.run(new String[] {"--assembly", dir.toString(), "--out", out.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, stderr::toString);
        assertTrue(Files.isRegularFile(out.resolve(AuditReportCli.HTML)));
    }

    @Test
    void badUsageNamesTheArgument() {
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = AuditReportCli.run(new String[] {"--assmebly", "cdk.out"}, new PrintStream(new ByteArrayOutputStream(),
                true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(2, exit);
        assertTrue(stderr.toString(StandardCharsets.UTF_8).startsWith("audit: unknown argument '--assmebly'\nusage:"),
                stderr::toString);
    }

    private void expect(final Path assembly, final String message) {
        Path out = dir.resolve("report-out");
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = AuditReportCli.run(new String[] {"--assembly", assembly.toString(), "--out", out.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String error = stderr.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, error);
        assertTrue(error.startsWith("audit: " + message), () -> "expected 'audit: " + message + "...', got: " + error);
        assertEquals(1, error.lines().count(), () -> "one line: " + error);
        assertFalse(error.matches("(?s).*(\\wException\\b|\tat ).*"), () -> "no stack trace: " + error);
        assertFalse(Files.exists(out), "no report is written");
    }
}
