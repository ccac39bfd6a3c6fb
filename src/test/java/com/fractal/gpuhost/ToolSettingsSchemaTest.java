package com.fractal.gpuhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fractal.gpuhost.release.ReleaseConfig;
import com.fractal.gpuhost.release.ReleaseException;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.ToolSettings;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resolved-settings file is one contract: the file the app writes after synthesis matches the JSON Schema
 * beside {@link ToolSettings}, reads back into the same type, and the schema states the one version.
 */
class ToolSettingsSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** As scripts/test-all.sh's dev-and-ci assembly, plus every sharing setting. */
    private static final Map<String, Object> DEV_CI_VARIANTS_SHARING = Map.of("developer", "testdev",
            "sshCidr", "203.0.113.0/24", "githubRepo", "octo-org/gpu-host-infra",
            "imageVariants", "ubuntu24-r580,ubuntu20-r535", "shareWithAccounts", "111122223333",
            "shareWithOrganizationalUnits", "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111",
            "shareWithOrganization", "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5",
            "copyToAccounts", "444455556666");

    private static Schema schema;
    private static JsonNode schemaJson;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = ToolSettings.class.getResourceAsStream(ToolSettings.SCHEMA_RESOURCE)) {
            schemaJson = JSON.readTree(in);
        }
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(schemaJson.toString());
    }

    static Stream<Arguments> configurations() {
        return Stream.of(Arguments.of("default", Map.of()), Arguments.of("dev, CI, two variants, sharing",
                DEV_CI_VARIANTS_SHARING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configurations")
    void theWrittenFileMatchesTheSchemaAndReadsBackAsWritten(final String name, final Map<String, Object> overrides,
            @TempDir final Path assembly) throws IOException {
        Settings settings = TestApps.settings(overrides);
        Path file = ToolSettingsFile.write(settings, assembly);

        assertEquals(List.of(), messages(schema.validate(JSON.readTree(file.toFile()))), name);
        assertEquals(ToolSettingsFile.of(settings), ToolSettings.read(assembly));
    }

    @Test
    void theDevAndCiKeysAppearOnlyWhenAskedFor() {
        JsonNode plain = ToolSettingsFile.toJson(TestApps.settings(Map.of()));
        JsonNode dev = ToolSettingsFile.toJson(TestApps.settings(DEV_CI_VARIANTS_SHARING));
        assertEquals(List.of(false, false, false), List.of(plain.has("devInstance"), plain.at("/stacks").has(
                "devInstance"), plain.at("/stacks").has("ciDeployRole")));
        assertEquals("FractalCiDeployRole", dev.at("/stacks/ciDeployRole").asText());
        assertEquals("ubuntu20-r535", dev.at("/imageVariants/1").asText());
        assertEquals("unqualified", dev.at("/release/variants/ubuntu20-r535/gridDriverSha256").asText());
    }

    @Test
    void theSchemaStatesTheTypesVersion() {
        assertEquals(ToolSettings.SCHEMA_VERSION, schemaJson.at("/properties/schemaVersion/const").asInt());
    }

    /** The schema is a contract, not a shape that anything fits: a key it does not name, or a missing one, fails. */
    @Test
    void theSchemaRefusesAnUnnamedKeyAMissingKeyAndAnotherVersion() {
        ObjectNode file = (ObjectNode) ToolSettingsFile.toJson(TestApps.settings(Map.of()));
        ObjectNode bogus = file.deepCopy();
        ((ObjectNode) bogus.at("/variants/ubuntu24-r580")).put("amiId", "ami-1");
        ObjectNode missing = file.deepCopy();
        missing.remove("release");
        ObjectNode older = file.deepCopy();
        older.put("schemaVersion", ToolSettings.SCHEMA_VERSION - 1);

        assertTrue(messages(schema.validate(bogus)).stream().anyMatch(m -> m.contains("amiId")),
                () -> messages(schema.validate(bogus)).toString());
        assertTrue(messages(schema.validate(missing)).stream().anyMatch(m -> m.contains("release")),
                () -> messages(schema.validate(missing)).toString());
        assertEquals(1, schema.validate(older).size());
    }

    @Test
    void aFileOfAnotherVersionOrShapeIsRefusedNamingTheFile(@TempDir final Path assembly) throws IOException {
        Path file = assembly.resolve(ToolSettings.FILE_NAME);
        ToolSettings.UnreadableException missing = assertThrows(ToolSettings.UnreadableException.class,
                () -> ToolSettings.read(assembly));
        assertEquals(file + " is missing", missing.getMessage());
        assertTrue(missing.missing());

        Files.writeString(file, "{\"schemaVersion\": 1, \"buildRegion\": \"us-east-1\"}");
        assertEquals(file + " is from another version of the app (schemaVersion 1; this one reads "
                + ToolSettings.SCHEMA_VERSION + ")", assertThrows(ToolSettings.UnreadableException.class,
                        () -> ToolSettings.read(assembly)).getMessage());

        Files.writeString(file, "{\"schemaVersion\": " + ToolSettings.SCHEMA_VERSION + ", \"buildRegon\": \"x\"}");
        String unknown = assertThrows(ToolSettings.UnreadableException.class, () -> ToolSettings.read(assembly))
                .getMessage();
        assertTrue(unknown.startsWith(file + " does not match this app's settings file") && unknown.contains(
                "buildRegon"), unknown);
    }

    /** The release and drivers commands read the file through the type, and say what to do when they cannot. */
    @Test
    void theCommandsReadTheFileThroughTheTypeAndRefuseAnotherInOneLine(@TempDir final Path assembly)
            throws IOException {
        ToolSettingsFile.write(TestApps.settings(Map.of("imageVariants", "ubuntu24-r580,ubuntu20-r535")), assembly);
        assertEquals(List.of("ubuntu24-r580", "ubuntu20-r535"), ReleaseConfig.readAll(assembly).stream()
                .map(ReleaseConfig::variant).toList());

        Files.writeString(assembly.resolve(ToolSettings.FILE_NAME), "{\"schemaVersion\": "
                + ToolSettings.SCHEMA_VERSION + ", \"buildRegion\": \"us-west-2\"}");
        ReleaseException partial = assertThrows(ReleaseException.class, () -> ReleaseConfig.readAll(assembly));
        assertEquals(2, partial.exitCode());
        assertEquals(assembly.resolve(ToolSettings.FILE_NAME) + " has no release settings: run `npm run synth` again",
                partial.getMessage());

        Files.writeString(assembly.resolve(ToolSettings.FILE_NAME), "{\"schemaVersion\": 1}");
        assertEquals(assembly.resolve(ToolSettings.FILE_NAME) + " is from another version of the app (schemaVersion 1; "
                + "this one reads " + ToolSettings.SCHEMA_VERSION + "): run `npm run synth` again",
                assertThrows(ReleaseException.class, () -> ReleaseConfig.readAll(assembly)).getMessage());
    }

    private static List<String> messages(final List<Error> errors) {
        return errors.stream().map(Error::toString).toList();
    }
}
