package com.fractal.gpuhost.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The network stack of the build region, with defaults, with an SSH CIDR, and on an existing VPC. */
class NetworkStackTest {
    private static Template defaults;
    private static Template withSsh;
    private static Template existing;

    @BeforeAll
    static void synthesize() {
        defaults = Template.fromStack(TestApps.synthesize(Map.of()).stack("FractalNetwork-us-east-1"));
        // SSH from one network, beside a dev stack and the CI role that do not touch the network stacks.
        withSsh = Template.fromStack(TestApps.synthesize(TestApps.DEV_CI_SSH).stack("FractalNetwork-us-east-1"));
        existing = Template.fromStack(TestApps.synthesize(Map.of("existingVpcs", Map.of("us-east-1", Map.of(
                "vpcId", "vpc-0123abcd", "subnetIds", List.of("subnet-0123abcd", "subnet-4567abcd"),
                "availabilityZones", List.of("us-east-1a", "us-east-1b"))))).stack("FractalNetwork-us-east-1"));
    }

    @Test
    void vpcHasPublicSubnetsInTwoAzsNoNatAndFlowLogs() {
        defaults.resourceCountIs("AWS::EC2::VPC", 1);
        defaults.resourceCountIs("AWS::EC2::Subnet", 2);
        defaults.allResourcesProperties("AWS::EC2::Subnet", Map.of("MapPublicIpOnLaunch", true));
        defaults.resourceCountIs("AWS::EC2::NatGateway", 0);
        defaults.hasResourceProperties("AWS::EC2::FlowLog", Map.of("TrafficType", "ALL",
                "LogDestinationType", "cloud-watch-logs"));
        defaults.hasResourceProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 365));
    }

    @Test
    void containerTestingAllowsStreamingPortsAndDynamicHostPortsFromAnywhereButNoSsh() {
        assertEquals(Set.of("tcp 32262-32262 0.0.0.0/0", "udp 32263-32263 0.0.0.0/0", "tcp 32273-32273 0.0.0.0/0",
                "tcp 32768-65535 0.0.0.0/0", "udp 32768-65535 0.0.0.0/0"), ingress(defaults, "container-testing"));
    }

    @Test
    void sshIsAllowedOnlyFromTheConfiguredCidr() {
        Set<String> rules = ingress(withSsh, "container-testing");
        assertTrue(rules.contains("tcp 22-22 203.0.113.0/24"), rules::toString);
        assertEquals(6, rules.size(), rules::toString);
        assertFalse(ingress(withSsh, "fractal-production-hosts").stream().anyMatch(rule -> rule.startsWith("tcp 22-")));
    }

    @Test
    void productionHostsTakeOnlyTheDynamicHostPortRange() {
        assertEquals(Set.of("tcp 32768-65535 0.0.0.0/0", "udp 32768-65535 0.0.0.0/0"),
                ingress(defaults, "fractal-production-hosts"));
    }

    @Test
    void imageBuilderGroupHasNoIngress() {
        assertEquals(Set.of(), ingress(defaults, "fractal-image-builder"));
    }

    @Test
    void everyRuleHasADescription() {
        for (Map<String, Object> group : groups(defaults).values()) {
            for (String direction : List.of("SecurityGroupIngress", "SecurityGroupEgress")) {
                for (Map<String, Object> rule : rules(group, direction)) {
                    assertTrue(rule.get("Description") instanceof String text && !text.isBlank(), rule::toString);
                }
            }
        }
    }

    @Test
    void idsArePublishedToSsmUnderThePrefix() {
        defaults.hasResourceProperties("AWS::SSM::Parameter", Map.of("Name", "/fractal/network/vpc-id",
                "Type", "String", "Value", Map.of("Ref", Match.stringLikeRegexp("HostVpc.*"))));
        defaults.hasResourceProperties("AWS::SSM::Parameter", Map.of("Name", "/fractal/network/public-subnet-ids",
                "Type", "StringList"));
        for (String group : List.of("container-testing", "production-hosts", "image-builder")) {
            defaults.hasResourceProperties("AWS::SSM::Parameter", Map.of(
                    "Name", "/fractal/network/security-groups/" + group + "-id",
                    "Value", Map.of("Fn::GetAtt", List.of(Match.stringLikeRegexp("SecurityGroups.*"), "GroupId"))));
        }
        defaults.resourceCountIs("AWS::SSM::Parameter", 5);
        assertTrue(defaults.findOutputs("*").isEmpty(), "IDs are shared through SSM, never exports");
    }

    @Test
    void anExistingVpcIsUsedAsIsAndItsIdsArePublished() {
        existing.resourceCountIs("AWS::EC2::VPC", 0);
        existing.resourceCountIs("AWS::EC2::Subnet", 0);
        existing.hasResourceProperties("AWS::EC2::SecurityGroup", Map.of("VpcId", "vpc-0123abcd"));
        existing.hasResourceProperties("AWS::SSM::Parameter", Map.of("Name", "/fractal/network/vpc-id",
                "Value", "vpc-0123abcd"));
        existing.hasResourceProperties("AWS::SSM::Parameter", Map.of("Name", "/fractal/network/public-subnet-ids",
                "Value", "subnet-0123abcd,subnet-4567abcd"));
    }

    @Test
    void logicalIdsOfStatefulResourcesStayStable() {
        // Renaming any of these replaces the resource on the next deploy: a breaking change.
        assertEquals(Set.of("SecurityGroupsContainerTesting55434248", "SecurityGroupsProductionHostsBB41A862",
                "SecurityGroupsImageBuilderE8A04E87"), groups(defaults).keySet());
        assertEquals(Set.of("HostVpc6611EBC7"), defaults.findResources("AWS::EC2::VPC").keySet());
    }

    @Test
    void resourcesAreTaggedWithProjectAndComponent() {
        defaults.hasResourceProperties("AWS::EC2::VPC", Map.of("Tags", Match.arrayWith(List.of(
                Map.of("Key", "component", "Value", "network"), Map.of("Key", "project", "Value", "fractal-gpu-host")))));
    }

    private static Map<String, Map<String, Object>> groups(final Template template) {
        return template.findResources("AWS::EC2::SecurityGroup");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules(final Map<String, Object> group, final String direction) {
        Map<String, Object> properties = (Map<String, Object>) group.get("Properties");
        return (List<Map<String, Object>>) properties.getOrDefault(direction, List.of());
    }

    @SuppressWarnings("unchecked")
    private static Set<String> ingress(final Template template, final String groupName) {
        Map<String, Object> group = groups(template).values().stream()
                .filter(g -> groupName.equals(((Map<String, Object>) g.get("Properties")).get("GroupName")))
                .findFirst().orElseThrow(() -> new AssertionError("no group " + groupName));
        return rules(group, "SecurityGroupIngress").stream()
                .map(rule -> rule.get("IpProtocol") + " " + rule.get("FromPort") + "-" + rule.get("ToPort") + " "
                        + rule.get("CidrIp"))
                .collect(Collectors.toSet());
    }
}
