package com.fractal.gpuhost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.settings.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolSettingsFileTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void overriddenSettingsReachTheFileAsTheStacksSeeThem() throws IOException {
        Settings settings = TestApps.settings(Map.of("ssmPrefix", "/probe",
                "activeRegions", "us-east-1,eu-west-1", "developer", "ada", "githubRepo", "acme/gpu-host"));
        Path dir = Files.createTempDirectory("tool-settings-");

        JsonNode file = JSON.readTree(ToolSettingsFile.write(settings, dir).toFile());

        assertEquals(List.of("us-east-1", "eu-west-1"), strings(file.get("activeRegions")));
        assertEquals("us-east-1", file.get("buildRegion").asText());
        assertEquals("/probe", file.get("ssmPrefix").asText());
        assertEquals(List.of("ubuntu24-r580"), strings(file.get("imageVariants")));
        JsonNode variant = file.at("/variants/ubuntu24-r580");
        assertEquals("/imagebuilder/probe/ubuntu24-r580/ami-id", variant.path("latestAmiId").asText());
        assertEquals("/probe/image/ubuntu24-r580/pipeline-arn", variant.path("imagePipelineArn").asText());
        assertEquals("fractal-gpu-host-ubuntu24-r580", variant.path("imagePipeline").asText());
        assertEquals("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
                variant.path("baseImageSsmParameter").asText());
        assertEquals(List.of("g4dn", "g5", "g6", "gr6", "g6e"), strings(variant.get("families")));
        assertTrue(variant.path("gridDriverKey").asText().startsWith("grid-19."), variant.toString());
        assertEquals("g4dn.xlarge", file.at("/devInstance/instanceType").asText());
        assertEquals("ubuntu24-r580", file.at("/devInstance/variant").asText());
        assertEquals("/probe/network/security-groups/container-testing-id",
                file.at("/ssmNames/securityGroupIds/container-testing").asText());
        assertEquals("FractalNetwork-eu-west-1", file.at("/stacks/network/eu-west-1").asText());
        assertEquals("FractalDevInstance-ada", file.at("/stacks/devInstance").asText());
        assertEquals("FractalCiDeployRole", file.at("/stacks/ciDeployRole").asText());
        assertEquals("fractal-production-hosts", file.at("/securityGroupNames/production-hosts").asText());
        assertEquals("container-testing", file.at("/securityGroupNames/container-testing").asText());
        assertEquals("us-east-1", file.at("/devInstance/region").asText());
        assertEquals("fractal-dev-ada", file.at("/devInstance/nameTag").asText());
        assertEquals(32768, file.at("/dynamicHostPorts/from").asInt());
        assertEquals("fractal-gpu-host", file.at("/projectTag").asText());
    }

    @Test
    void releaseSettingsAreTheStacksOwn() throws IOException {
        Settings settings = TestApps.settings(Map.of("ssmPrefix", "/probe", "channels", "candidate,beta,stable",
                "releaseHistoryKept", 5));
        JsonNode release = ToolSettingsFile.toJson(settings).get("release");

        JsonNode variant = release.at("/variants/ubuntu24-r580");
        assertEquals(List.of("candidate", "beta", "stable"), JSON.convertValue(variant.get("channels"), Map.class)
                .keySet().stream().toList());
        assertEquals("/probe/image/ubuntu24-r580/channels/beta/ami-id", variant.at("/channels/beta/ssmName").asText());
        assertEquals("fractal:held-by:beta", variant.at("/channels/beta/heldByTagKey").asText());
        assertEquals("/imagebuilder/probe/ubuntu24-r580/ami-id", variant.path("latestAmiId").asText());
        assertEquals(5, release.get("releaseHistoryKept").asInt());
        // The release gate: the pin of the variant file (unqualified in the repository) and the production channels.
        assertEquals("unqualified", variant.path("gridDriverSha256").asText());
        assertEquals(List.of("stable"), strings(release.get("productionChannels")));
        assertEquals("nvidia-grid-driver-sha256", release.path("driverSha256TagKey").asText());
        assertEquals(List.of("beta", "stable"), strings(ToolSettingsFile.toJson(TestApps.settings(Map.of(
                "channels", "candidate,beta,stable", "productionChannels", "beta,stable"))).at("/release/productionChannels")));
        assertEquals("true", release.get("heldByTagValue").asText());
        assertEquals("fractal:image-pipeline", release.get("madeByTagKey").asText());
        assertEquals("fractal-gpu-host-ubuntu24-r580", variant.path("madeByTagValue").asText());
        assertEquals("/probe/image/notification-topic-arn", release.get("notificationTopicArnSsmName").asText());
    }

    @Test
    void optionalStacksAreAbsentWhenNotAskedFor() {
        JsonNode file = ToolSettingsFile.toJson(TestApps.settings(Map.of()));

        assertFalse(file.at("/stacks").has("devInstance"));
        assertFalse(file.at("/stacks").has("ciDeployRole"));
        assertEquals(TestApps.settings(Map.of()).activeRegions(), strings(file.get("activeRegions")));
    }

    private static List<String> strings(final JsonNode array) {
        return JSON.convertValue(array, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }
}
