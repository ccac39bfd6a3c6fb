package com.fractal.gpuhost.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Settings load from cdk.json's defaults; every bad input is reported with its key, value and what is allowed. */
class SettingsLoaderTest {

    @Test
    void defaultsAreTheSevenActiveRegionsBuiltInUsEast1WithNoDevInstance() {
        Settings settings = TestApps.settings(Map.of());
        assertEquals(List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "eu-west-1",
                "eu-central-1"), settings.activeRegions());
        assertEquals("us-east-1", settings.buildRegion());
        assertEquals(List.of("ubuntu24-r580"), settings.imageVariants().stream().map(ImageVariant::name).toList());
        ImageVariant variant = settings.imageVariants().get(0);
        assertEquals("24.04", variant.osRelease());
        assertEquals("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id",
                variant.baseImageSsmParameter());
        assertEquals(List.of("g4dn", "g5", "g6", "gr6", "g6e"), variant.families());
        assertEquals(Optional.empty(), variant.retiredOn());
        assertEquals(32, settings.rootVolumeGiB());
        assertEquals(new PortRange(32768, 65535), settings.dynamicHostPorts());
        assertEquals(Optional.empty(), settings.sshCidr());
        assertEquals("/fractal", settings.ssmNames().prefix());
        assertEquals(Optional.empty(), settings.devInstance());
        assertTrue(settings.existingVpcs().isEmpty());
    }

    @Test
    void developerAddsADevInstanceInTheBuildRegionOnG4dnXlarge() {
        DevInstanceSettings dev = TestApps.settings(Map.of("developer", "alice")).devInstance().orElseThrow();
        assertEquals("alice", dev.developer());
        assertEquals("us-east-1", dev.region());
        assertEquals("g4dn.xlarge", dev.instanceType());
        assertEquals("ubuntu24-r580", dev.variant().name());
        assertEquals(120, dev.idleStopMinutes());
        assertEquals(Optional.empty(), dev.keyPair());
    }

    @Test
    void commandLineStringsAreNormalisedLikeCdkJsonTypes() {
        Settings settings = TestApps.settings(Map.of(
                "activeRegions", "us-east-1, eu-west-1",
                "imageVariants", "[\"ubuntu20-r535\"]",
                "devInstanceType", "g3.8xlarge",
                "rootVolumeGiB", "64",
                "developer", "bob",
                "devRegion", "eu-west-1",
                "devIdleStopMinutes", "0",
                "devImage", "stable",
                "channels", "candidate,stable",
                "notificationEmails", "ops@example.com, lead@example.org"));
        assertEquals(List.of("us-east-1", "eu-west-1"), settings.activeRegions());
        assertEquals("ubuntu20-r535", settings.imageVariants().get(0).name());
        assertEquals(64, settings.rootVolumeGiB());
        DevInstanceSettings dev = settings.devInstance().orElseThrow();
        assertEquals("eu-west-1", dev.region());
        assertFalse(dev.idleStopEnabled());
        assertEquals(DevImage.ofChannel("stable"), dev.image());
        assertEquals(List.of("ops@example.com", "lead@example.org"), settings.notifications().emails());
    }

    @Test
    void releaseDefaultsAreCandidateAndStableKeepingThreePromotionsWithNoSubscribers() {
        Settings settings = TestApps.settings(Map.of("developer", "alice"));
        assertEquals(List.of("candidate", "stable"), settings.release().channels());
        assertEquals(3, settings.release().historyKept());
        assertEquals(List.of(), settings.notifications().emails());
        assertEquals(Optional.empty(), settings.notifications().slack());
        assertEquals(DevImage.stock(), settings.devInstance().orElseThrow().image());
        assertEquals(DevImage.newestBuild(),
                TestApps.settings(Map.of("developer", "a", "devImage", "latest")).devInstance().orElseThrow().image());
        assertEquals(Optional.of(new NotificationSettings.SlackChannel("T07EA123LEP", "C07EZ1ABC23")),
                TestApps.settings(Map.of("slackWorkspaceId", "T07EA123LEP", "slackChannelId", "C07EZ1ABC23"))
                        .notifications().slack());
    }

    @Test
    void anExistingVpcIsUsedForItsRegion() {
        Settings settings = TestApps.settings(Map.of("existingVpcs", "{\"us-east-2\": {\"vpcId\": \"vpc-0123abcd\","
                + " \"subnetIds\": [\"subnet-0123abcd\", \"subnet-4567abcd\"],"
                + " \"availabilityZones\": [\"us-east-2a\", \"us-east-2b\"]}}"));
        ExistingVpc vpc = settings.existingVpc("us-east-2").orElseThrow();
        assertEquals("vpc-0123abcd", vpc.vpcId());
        assertEquals(List.of("subnet-0123abcd", "subnet-4567abcd"), vpc.publicSubnetIds());
        assertEquals(Optional.empty(), settings.existingVpc("us-east-1"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "activeRegions|us-east-1,us-moon-1|activeRegions: \"us-moon-1\" is not an AWS region code; allowed: ",
        "activeRegions|us-east-1,us-east-1|activeRegions: \"us-east-1\" is listed twice; allowed: AWS region codes such as us-east-1, each once",
        "activeRegions|us-east-1,,eu-west-1|activeRegions: \"us-east-1,,eu-west-1\" is malformed",
        "activeRegions|[\"us-east-1\"|activeRegions: \"[\"us-east-1\"\" is malformed JSON",
        "buildRegion|ap-south-1|buildRegion: \"ap-south-1\" is not an active region (us-east-1, us-east-2",
        "devRegion|sa-east-1|devRegion: \"sa-east-1\" is not an active region (us-east-1",
        "buildInstanceTypes|g3.4xlarge|buildInstanceTypes: \"g3.4xlarge\" is no longer a setting; each variant names "
                + "its own: buildInstanceTypes of its entry in imageVariantCatalog",
        "baseImageSsmParameter|/aws/x|baseImageSsmParameter: \"/aws/x\" is no longer a setting; each variant names its own",
        "imageVariants|ubuntu22-r570|imageVariants: \"ubuntu22-r570\" is not a variant of imageVariantCatalog; "
                + "allowed: ubuntu24-r580, ubuntu20-r535",
        "imageVariants|ubuntu24-r580,ubuntu24-r580|imageVariants: \"ubuntu24-r580\" is listed twice; allowed: each "
                + "variant once",
        "imageVariants|[]|imageVariants: is missing or empty; allowed: one or more of ubuntu24-r580, ubuntu20-r535",
        "devInstanceType|g3s.xlarge|devInstanceType: \"g3s.xlarge\" is not served by an active variant (retired by AWS "
                + "on 2025-10-31); allowed: a type of g4dn, g5, g6, gr6, g6e (families of ubuntu24-r580)",
        "devInstanceType|g5g.xlarge|devInstanceType: \"g5g.xlarge\" is not served by an active variant (Arm (Graviton) "
                + "with NVIDIA T4G: AWS publishes no GRID driver for Arm); allowed: a type of g4dn",
        "devInstanceType|g4ad.xlarge|devInstanceType: \"g4ad.xlarge\" is not served by an active variant (AMD Radeon "
                + "Pro V520 GPU: no NVIDIA driver, so no NVENC or NvFBC)",
        "devInstanceType|p3.2xlarge|devInstanceType: \"p3.2xlarge\" is not served by an active variant; allowed: a "
                + "type of g4dn, g5, g6, gr6, g6e",
        "devInstanceType|g4dn-xlarge|devInstanceType: \"g4dn-xlarge\" is not an EC2 instance type",
        "rootVolumeGiB|31|rootVolumeGiB: \"31\" is not allowed; allowed: a whole number from 32 to 16384",
        "rootVolumeGiB|16385|rootVolumeGiB: \"16385\" is not allowed; allowed: a whole number from 32 to 16384",
        "rootVolumeGiB|32.5|rootVolumeGiB: \"32.5\" is not allowed",
        "developer|Alice|developer: \"Alice\" is not allowed; allowed: a lowercase DNS label of 1 to 32 characters",
        "developer|alice_smith|developer: \"alice_smith\" is not allowed",
        "developer|-alice|developer: \"-alice\" is not allowed",
        "developer|abcdefghijklmnopqrstuvwxyz0123456|developer: \"abcdefghijklmnopqrstuvwxyz0123456\" is not allowed",
        "sshCidr|0.0.0.0/0|sshCidr: \"0.0.0.0/0\" is open to the world; allowed: empty, or the network address of an IPv4 block of /8 to /32",
        "sshCidr|10.0.0.0/4|sshCidr: \"10.0.0.0/4\" is open to the world",
        "sshCidr|203.0.113.0|sshCidr: \"203.0.113.0\" is not an IPv4 CIDR block",
        "sshCidr|203.0.113.300/32|sshCidr: \"203.0.113.300/32\" is not an IPv4 CIDR block",
        "sshCidr|203.0.113.5/24|sshCidr: \"203.0.113.5/24\" has host bits set",
        "ssmPrefix|fractal|ssmPrefix: \"fractal\" is not allowed; allowed: an SSM parameter path",
        "ssmPrefix|/aws/fractal|ssmPrefix: \"/aws/fractal\" is reserved for AWS; allowed: an SSM parameter path",
        "dynamicHostPorts|80-90|dynamicHostPorts: \"80-90\" is not allowed; allowed: a port range FROM-TO",
        "devIdleStopMinutes|7|devIdleStopMinutes: \"7\" is not allowed; allowed: a multiple of 5 from 0 to 1440",
        "devIdleStopMinutes|2000|devIdleStopMinutes: \"2000\" is not allowed; allowed: a multiple of 5 from 0 to 1440",
        "devFromPublishedImage|true|devFromPublishedImage: \"true\" is no longer a setting; use devImage=latest",
        "devImage|beta|devImage: \"beta\" is not allowed (channels: candidate, stable); allowed: `stock`, `latest` or one of `channels`",
        "channels|candidate,candidate|channels: \"candidate\" is listed twice; allowed: one or more names of 1 to 31",
        "channels|candidate,Stable|channels: \"Stable\" is not allowed; allowed: one or more names of 1 to 31 of a-z, 0-9 and '-'",
        "channels|candidate,latest|channels: \"latest\" is reserved; allowed: one or more names",
        "channels|[]|channels: is missing or empty; allowed: one or more names",
        "releaseHistoryKept|0|releaseHistoryKept: \"0\" is not allowed; allowed: a whole number from 1 to 20",
        "releaseHistoryKept|21|releaseHistoryKept: \"21\" is not allowed; allowed: a whole number from 1 to 20",
        "notificationEmails|ops@example.com,not-an-address|notificationEmails: \"not-an-address\" is not an e-mail address",
        "notificationEmails|ops@localhost|notificationEmails: \"ops@localhost\" is not an e-mail address",
        "slackWorkspaceId|T07EA123LEP|slackWorkspaceId: \"T07EA123LEP\" is given alone; allowed: both slackWorkspaceId and slackChannelId, or neither",
        "slackChannelId|C07EZ1ABC23|slackChannelId: \"C07EZ1ABC23\" is given alone",
        "slackChannelId|general|slackChannelId: \"general\" is not a Slack channel ID; allowed: empty, or C or G",
        "existingVpcs|{\"us-east-1\": {\"vpcId\": \"vpc-1\"}}|existingVpcs.us-east-1.vpcId: \"vpc-1\" is not a VPC ID",
        "existingVpcs|{\"mars-1\": {}}|existingVpcs: \"mars-1\" is not an active region",
        "existingVpcs|[1,2]|existingVpcs: \"[1,2]\" is malformed JSON",
        "existingVpcs|{\"us-east-1\": {\"vpcId\": \"vpc-0123abcd\", \"subnetIds\": [\"subnet-0123abcd\", \"subnet-4567abcd\"], "
                + "\"availabilityZones\": [\"us-east-1a\", \"us-west-2b\"]}}|existingVpcs.us-east-1.availabilityZones: "
                + "\"us-west-2b\" is not an availability zone of us-east-1; allowed: us-east-1a, us-east-1b, ...",
        "existingVpcs|{\"us-east-1\": {\"vpcId\": \"vpc-0123abcd\", \"subnetIds\": [\"subnet-0123abcd\", \"subnet-4567abcd\"], "
                + "\"availabilityZones\": [\"us-east-1a\"]}}|existingVpcs.us-east-1.availabilityZones: [us-east-1a] "
                + "does not match subnetIds; allowed: one availability zone per subnet, in the same order",
        "existingVpcs|{\"us-east-1\": {\"vpcID\": \"vpc-0123abcd\"}}|existingVpcs.us-east-1: \"vpcID\" is not a field; "
                + "allowed: vpcId, subnetIds, availabilityZones",
    })
    void badInputIsReportedWithKeyValueAndWhatIsAllowed(final String key, final String value, final String message) {
        Map<String, Object> overrides = new HashMap<>(Map.of("developer", "ok"));
        overrides.put(key, value);
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> TestApps.settings(overrides));
        assertTrue(error.problems().stream().anyMatch(problem -> problem.startsWith(message)),
                () -> "expected a problem starting with\n  " + message + "\nbut got\n  " + error.problems());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, Object> bad = new HashMap<>();
        bad.put("activeRegions", List.of("us-east-1", "nowhere-1"));
        bad.put("rootVolumeGiB", 8);
        bad.put("developer", "Bad Name");
        bad.put("sshCidr", "0.0.0.0/0");
        bad.put("devInstanceType", "t3.micro");
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> TestApps.settings(bad));
        assertEquals(5, error.problems().size(), () -> String.join("\n", error.problems()));
        assertTrue(error.getMessage().startsWith("Invalid settings (5 problems); nothing was synthesized:"));
    }

    @Test
    void aKeyMissingFromContextIsReportedNotDefaultedInJava() {
        Map<String, Object> context = new HashMap<>(TestApps.defaultContext());
        context.remove("rootVolumeGiB");
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> SettingsLoader.load(ContextSource.of(context), java.nio.file.Path.of("host-scripts")));
        assertEquals(List.of("rootVolumeGiB: is missing (its default belongs in cdk.json); allowed: a whole number "
                + "from 32 to 16384"), error.problems());
    }

    @Test
    void aMissingHostScriptsFolderIsReported() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> SettingsLoader.load(
                ContextSource.of(TestApps.defaultContext()), java.nio.file.Path.of("no-such-folder")));
        assertTrue(error.problems().stream().anyMatch(problem -> problem.contains("versions.env: cannot be read")),
                error::getMessage);
        assertTrue(error.problems().stream().anyMatch(problem -> problem.contains("variants/ubuntu24-r580.env: cannot "
                + "be read")), error::getMessage);
    }
}
