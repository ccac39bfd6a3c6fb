package com.fractal.gpuhost.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.audit.model.Distribution;
import com.fractal.gpuhost.audit.model.Encryption;
import com.fractal.gpuhost.audit.model.IamRole;
import com.fractal.gpuhost.audit.model.InstanceMetadata;
import com.fractal.gpuhost.audit.model.NagResult;
import com.fractal.gpuhost.audit.model.Retention;
import com.fractal.gpuhost.audit.model.SecurityGroup;
import com.fractal.gpuhost.audit.model.SecurityGroupRule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report over the project's own assembly (every stack: the networks, the pipeline, a dev stack and the CI
 * role): each fact is checked against the template JSON it comes from, read here independently.
 */
class AuditReportProjectTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path assembly;
    private static AuditReport report;
    /** Stack name to template, read straight from manifest.json. */
    private static final Map<String, JsonNode> TEMPLATES = new LinkedHashMap<>();
    private static final Map<String, String> ENVIRONMENTS = new LinkedHashMap<>();

    @BeforeAll
    static void synthesize() throws IOException {
        assembly = Path.of(TestApps.synthesize(Map.of("developer", "alice", "sshCidr", "203.0.113.0/24",
                "githubRepo", "octo/repo")).assembly().getDirectory());
        report = AuditReport.of(assembly);
        JsonNode artifacts = JSON.readTree(assembly.resolve("manifest.json").toFile()).path("artifacts");
        for (Iterator<Map.Entry<String, JsonNode>> it = artifacts.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> artifact = it.next();
            if (artifact.getValue().path("type").asText().equals("aws:cloudformation:stack")) {
                TEMPLATES.put(artifact.getKey(), JSON.readTree(assembly.resolve(
                        artifact.getValue().path("properties").path("templateFile").asText()).toFile()));
                ENVIRONMENTS.put(artifact.getKey(), artifact.getValue().path("environment").asText());
            }
        }
    }

    @Test
    void everyStackWithItsRegionDescriptionAndResourceCounts() {
        assertEquals(List.copyOf(TEMPLATES.keySet()), report.model().stacks().stream().map(StackTemplate::name).toList());
        assertTrue(TEMPLATES.containsKey("FractalCiDeployRole") && TEMPLATES.containsKey("FractalDevInstance-alice"));
        for (StackTemplate stack : report.model().stacks()) {
            JsonNode template = TEMPLATES.get(stack.name());
            assertEquals(ENVIRONMENTS.get(stack.name()), "aws://" + stack.account() + "/" + stack.region());
            assertEquals(template.path("Description").asText(), stack.description());
            Map<String, Integer> counts = new TreeMap<>();
            resources(template, (id, resource) -> counts.merge(resource.path("Type").asText(), 1, Integer::sum));
            assertEquals(counts, stack.sortedCounts(), stack.name());
        }
    }

    @Test
    void everySecurityGroupRuleWithItsPortsPeerAndDescription() {
        int checked = 0;
        for (Map.Entry<String, JsonNode> stack : TEMPLATES.entrySet()) {
            List<JsonNode> ingress = new ArrayList<>();
            resources(stack.getValue(), (id, resource) -> {
                if (resource.path("Type").asText().equals("AWS::EC2::SecurityGroup")) {
                    SecurityGroup group = group(stack.getKey(), id);
                    assertEquals(resource.path("Properties").path("GroupDescription").asText(), group.description());
                    List<JsonNode> rules = new ArrayList<>();
                    resource.path("Properties").path("SecurityGroupIngress").forEach(rules::add);
                    resource.path("Properties").path("SecurityGroupEgress").forEach(rules::add);
                    assertEquals(rules.size(), group.rules().size(), id);
                    resource.path("Properties").path("SecurityGroupIngress").forEach(ingress::add);
                    for (JsonNode rule : rules) {
                        assertTrue(group.rules().stream().anyMatch(r -> same(rule, r)),
                                () -> stack.getKey() + " " + id + ": no rule in the report like " + rule);
                    }
                }
            });
            checked += ingress.size();
        }
        assertTrue(checked > 40, "the project's ingress rules were all checked: " + checked);
        assertTrue(report.model().securityGroups().stream().flatMap(g -> g.rules().stream())
                .anyMatch(r -> r.ports().equals("22") && r.peer().equals("203.0.113.0/24")), "the SSH rule");
    }

    private static boolean same(final JsonNode template, final SecurityGroupRule rule) {
        String protocol = template.path("IpProtocol").asText();
        boolean allPorts = protocol.equals("-1");
        String cidr = template.has("CidrIp") ? template.get("CidrIp").asText() : template.path("CidrIpv6").asText();
        return (allPorts ? rule.protocol().equals("all") && rule.ports().equals("all")
                : rule.protocol().equals(protocol) && rule.fromPort() == template.path("FromPort").asInt()
                        && rule.toPort() == template.path("ToPort").asInt())
                && rule.peer().equals(cidr) && rule.description().equals(template.path("Description").asText());
    }

    @Test
    void everyRoleWithItsTrustAndEveryActionOfItsPolicies() {
        int roles = 0;
        for (Map.Entry<String, JsonNode> stack : TEMPLATES.entrySet()) {
            Map<String, JsonNode> resources = new LinkedHashMap<>();
            resources(stack.getValue(), resources::put);
            for (Map.Entry<String, JsonNode> resource : resources.entrySet()) {
                String type = resource.getValue().path("Type").asText();
                JsonNode properties = resource.getValue().path("Properties");
                if (type.equals("AWS::IAM::Role")) {
                    roles++;
                    IamRole role = role(stack.getKey(), resource.getKey());
                    List<String> principals = new ArrayList<>();
                    properties.path("AssumeRolePolicyDocument").path("Statement").forEach(s -> s.path("Principal")
                            .fields().forEachRemaining(p -> principals.add(p.getKey())));
                    assertEquals(principals, role.trust().stream().flatMap(s -> s.principals().stream())
                            .map(p -> p.split(":", 2)[0]).toList(), resource.getKey());
                    assertEquals(properties.path("ManagedPolicyArns").size(), role.managedPolicyArns().size());
                }
                if (type.equals("AWS::IAM::Policy")) {
                    for (JsonNode roleRef : properties.path("Roles")) {
                        IamRole role = role(stack.getKey(), roleRef.path("Ref").asText());
                        for (JsonNode statement : properties.path("PolicyDocument").path("Statement")) {
                            List<String> actions = new ArrayList<>();
                            JsonNode action = statement.path("Action");
                            if (action.isArray()) {
                                action.forEach(a -> actions.add(a.asText()));
                            } else {
                                actions.add(action.asText());
                            }
                            int resourceCount = statement.path("Resource").isArray()
                                    ? statement.path("Resource").size() : 1;
                            assertTrue(role.permissions().stream().anyMatch(p -> p.actions().equals(actions)
                                    && p.definedIn().equals(resource.getKey())
                                    && p.resources().size() == resourceCount
                                    && p.sid().equals(statement.path("Sid").asText())),
                                    () -> resource.getKey() + ": no statement with " + actions);
                        }
                    }
                }
            }
        }
        assertEquals(roles, report.model().roles().size());
        IamRole ci = role("FractalCiDeployRole", "DeployRole885297C3");
        JsonNode condition = TEMPLATES.get("FractalCiDeployRole").path("Resources").path("DeployRole885297C3")
                .path("Properties").path("AssumeRolePolicyDocument").path("Statement").path(0).path("Condition");
        List<String> expected = new ArrayList<>();
        condition.fields().forEachRemaining(op -> op.getValue().fields().forEachRemaining(key -> {
            JsonNode value = key.getValue().isArray() && key.getValue().size() == 1 ? key.getValue().get(0)
                    : key.getValue();
            expected.add(op.getKey() + " " + key.getKey() + " = " + value.asText());
        }));
        assertEquals(2, expected.size(), "the repository's subject and the STS audience");
        assertEquals(expected, ci.trust().get(0).conditions());
        assertTrue(ci.permissions().stream().flatMap(s -> s.resources().stream()).anyMatch(r -> r.equals(
                "arn:${AWS::Partition}:imagebuilder:us-east-1:${AWS::AccountId}:image-pipeline/fractal-*")),
                "resources are rendered from Fn::Join");
    }

    @Test
    void encryptionOfEveryVolumeBucketAndTopic() {
        int volumes = 0;
        for (Map.Entry<String, JsonNode> stack : TEMPLATES.entrySet()) {
            List<Encryption> facts = report.model().encryption().stream()
                    .filter(e -> e.stack().equals(stack.getKey())).toList();
            Map<String, JsonNode> resources = new LinkedHashMap<>();
            resources(stack.getValue(), resources::put);
            for (Map.Entry<String, JsonNode> resource : resources.entrySet()) {
                JsonNode p = resource.getValue().path("Properties");
                JsonNode mappings = switch (resource.getValue().path("Type").asText()) {
                    case "AWS::EC2::LaunchTemplate" -> p.path("LaunchTemplateData").path("BlockDeviceMappings");
                    case "AWS::ImageBuilder::ImageRecipe" -> p.path("BlockDeviceMappings");
                    default -> null;
                };
                if (mappings != null) {
                    for (JsonNode mapping : mappings) {
                        volumes++;
                        Encryption fact = fact(facts, resource.getKey(), "block device "
                                + mapping.path("DeviceName").asText());
                        assertEquals(mapping.path("Ebs").path("Encrypted").asBoolean(), fact.encrypted());
                    }
                }
                if (resource.getValue().path("Type").asText().equals("AWS::S3::Bucket")) {
                    JsonNode sse = p.path("BucketEncryption").path("ServerSideEncryptionConfiguration").path(0)
                            .path("ServerSideEncryptionByDefault");
                    assertEquals(sse.path("SSEAlgorithm").asText() + (sse.has("KMSMasterKeyID") ? ", key {GetAtt: "
                            + sse.path("KMSMasterKeyID").path("Fn::GetAtt").get(0).asText() + ".Arn}" : ""),
                            fact(facts, resource.getKey(), "bucket " + (p.has("BucketName")
                                    ? "fractal-gpu-host-drivers-${AWS::AccountId}-us-east-1" : resource.getKey()))
                                    .detail());
                }
                if (resource.getValue().path("Type").asText().equals("AWS::SNS::Topic")) {
                    Encryption topic = fact(facts, resource.getKey(), "topic " + p.path("TopicName")
                            .asText(resource.getKey()));
                    assertEquals(p.has("KmsMasterKeyId"), topic.encrypted());
                    assertEquals("KMS key {GetAtt: " + p.path("KmsMasterKeyId").path("Fn::GetAtt").get(0).asText()
                            + ".Arn}", topic.detail());
                }
            }
        }
        assertEquals(2, volumes, "the recipe's and the dev launch template's root volumes");
        assertTrue(report.model().encryption().stream().filter(e -> e.resourceType().equals(
                "AWS::ImageBuilder::ImageRecipe")).allMatch(e -> Boolean.TRUE.equals(e.encrypted())),
                "the recipe's volumes, whose snapshots every AMI is made of, are encrypted");
    }

    private static Encryption fact(final List<Encryption> facts, final String logicalId, final String subject) {
        return facts.stream().filter(e -> e.logicalId().equals(logicalId) && e.subject().equals(subject)).findFirst()
                .orElseThrow(() -> new AssertionError("no encryption fact for " + logicalId + " " + subject));
    }

    @Test
    void instanceMetadataOfEveryLaunchTemplateInstanceAndBuildInfrastructure() {
        int checked = 0;
        for (Map.Entry<String, JsonNode> stack : TEMPLATES.entrySet()) {
            Map<String, JsonNode> resources = new LinkedHashMap<>();
            resources(stack.getValue(), resources::put);
            for (Map.Entry<String, JsonNode> resource : resources.entrySet()) {
                JsonNode p = resource.getValue().path("Properties");
                JsonNode tokens = switch (resource.getValue().path("Type").asText()) {
                    case "AWS::EC2::LaunchTemplate" -> p.path("LaunchTemplateData").path("MetadataOptions")
                            .path("HttpTokens");
                    case "AWS::ImageBuilder::InfrastructureConfiguration" -> p.path("InstanceMetadataOptions")
                            .path("HttpTokens");
                    default -> null;
                };
                if (tokens != null) {
                    checked++;
                    InstanceMetadata fact = report.model().instanceMetadata().stream()
                            .filter(m -> m.stack().equals(stack.getKey()) && m.logicalId().equals(resource.getKey()))
                            .findFirst().orElseThrow();
                    assertEquals(tokens.asText(), fact.httpTokens());
                }
            }
        }
        assertEquals(2, checked);
        assertTrue(report.model().instanceMetadata().stream().anyMatch(m -> m.resourceType().equals("AWS::EC2::Instance")
                && "required".equals(m.httpTokens())), "the dev instance, through its launch template");
    }

    @Test
    void distributionMapWithEveryRegionAmiNameAndSsmParameter() {
        List<Distribution> distributions = report.model().distributions();
        assertEquals(distributionRegions(), distributions.stream().map(Distribution::region).toList());
        JsonNode configuration = resourcesOfType("AWS::ImageBuilder::DistributionConfiguration").get(0);
        for (JsonNode region : configuration.path("Properties").path("Distributions")) {
            Distribution fact = distributions.stream().filter(d -> d.region().equals(region.path("Region").asText()))
                    .findFirst().orElseThrow();
            assertEquals(region.path("AmiDistributionConfiguration").path("Name").asText(), fact.amiName());
            List<String> parameters = new ArrayList<>();
            region.path("SsmParameterConfigurations").forEach(p -> parameters.add(p.path("ParameterName").asText()));
            assertEquals(parameters, fact.ssmParameters());
            assertEquals(region.path("AmiDistributionConfiguration").path("LaunchPermissionConfiguration")
                    .path("UserIds").size(), fact.launchPermissions().size());
        }
    }

    @Test
    void imageRetentionAsTheLifecyclePolicySaysIt() {
        List<JsonNode> policies = resourcesOfType("AWS::ImageBuilder::LifecyclePolicy");
        assertEquals(policies.size(), report.model().retention().size());
        for (int i = 0; i < policies.size(); i++) {
            JsonNode p = policies.get(i).path("Properties");
            Retention fact = report.model().retention().get(i);
            assertEquals(p.path("Name").asText(), fact.name());
            assertEquals(p.path("Status").asText(), fact.status());
            JsonNode filter = p.path("PolicyDetails").path(0).path("Filter");
            assertEquals("COUNT", filter.path("Type").asText());
            assertTrue(fact.rules().get(0).contains("keep the newest " + filter.path("Value").asInt()), fact.rules()
                    .toString());
            p.path("ResourceSelection").path("TagMap").fields().forEachRemaining(tag -> assertTrue(
                    fact.selection().contains(tag.getKey() + "=" + tag.getValue().asText()), fact.selection()));
        }
    }

    /** The suppressions are cdk-nag's input; its reports say which findings they accepted, and why. */
    @Test
    void everySuppressionsReasonReachesTheReportThroughCdkNagsReports() throws IOException {
        int suppressions = 0;
        String markdown = report.markdown();
        for (JsonNode template : TEMPLATES.values()) {
            List<JsonNode> resources = new ArrayList<>();
            resources(template, (id, resource) -> resources.add(resource));
            for (JsonNode resource : resources) {
                for (JsonNode rule : resource.path("Metadata").path("cdk_nag").path("rules_to_suppress")) {
                    suppressions++;
                    assertTrue(markdown.contains(rule.path("reason").asText().replace("*", "\\*")
                            .replace("_", "\\_")), rule.path("reason").asText());
                }
            }
        }
        assertTrue(suppressions > 20, "the project's suppressions were all checked: " + suppressions);

        List<JsonNode> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(assembly)) {
            for (Path json : files.filter(f -> f.toString().endsWith("-NagReport.json")).sorted().toList()) {
                new ObjectMapper().readTree(json.toFile()).path("lines").forEach(lines::add);
            }
        }
        assertEquals(TEMPLATES.size(), report.model().nagResults().stream().map(NagResult::stack).distinct().count(),
                "a cdk-nag report for every stack");
        assertEquals(lines.size(), report.model().nagResults().size());
        assertEquals(lines.stream().filter(l -> l.path("compliance").asText().equals(NagResult.SUPPRESSED)).count(),
                report.model().nagResults().stream().filter(NagResult::accepted).count());
        report.model().nagResults().stream().filter(NagResult::accepted)
                .forEach(r -> assertTrue(lines.stream().anyMatch(l -> l.path("ruleId").asText().equals(r.ruleId())
                        && l.path("resourceId").asText().equals(r.resourcePath())
                        && l.path("exceptionReason").asText().equals(r.reason())), r.toString()));
    }

    /** The flags are cdk-nag's findings, each accepted with its reason; each sits on the resource it is about. */
    @Test
    void flagsOnTheProjectAreAcceptedFindingsOnTheResourcesTheyConcern() {
        assertEquals(List.of(), report.flags().stream().filter(f -> !f.accepted()).toList());
        List<NagResult> streaming = report.flags().stream().filter(f -> f.ruleId().equals("AwsSolutions-EC23")).toList();
        assertEquals(14, streaming.size(), "two groups open to clients in each of the 7 regions");
        assertTrue(streaming.stream().allMatch(f -> f.logicalId().startsWith("SecurityGroupsContainerTesting")
                || f.logicalId().startsWith("SecurityGroupsProductionHosts")), streaming::toString);
        assertTrue(report.flags().stream().anyMatch(f -> f.ruleId().equals("AwsSolutions-IAM5")
                && f.stack().equals("FractalCiDeployRole") && f.reason().contains("ec2:DescribeImages")),
                "the CI role's scoped wildcards, with the reason");
        assertTrue(report.flags().stream().noneMatch(f -> f.ruleId().startsWith("FractalProject-")),
                "the project's rules pass everywhere");
    }

    @Test
    void markdownAndHtmlAreWrittenAsTwoSelfContainedFiles(@TempDir final Path out) throws IOException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        int exit = AuditReportCli.run(new String[] {"--assembly", assembly.toString(), "--out", out.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, exit);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of(AuditReportCli.HTML, AuditReportCli.MARKDOWN),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        String html = Files.readString(out.resolve(AuditReportCli.HTML));
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("<style>"), "one page with its own CSS");
        for (String external : List.of("src=\"http", "href=\"http", "src='http", "href='http", "<script", "<link",
                "@import", "url(")) {
            assertFalse(html.contains(external), "no external asset or script: " + external);
        }
        String markdown = Files.readString(out.resolve(AuditReportCli.MARKDOWN));
        assertFalse(markdown.contains("](http"), "no external links or images in the Markdown");
        for (String section : List.of(ReportBuilder.FLAGS, ReportBuilder.STACKS, ReportBuilder.SECURITY_GROUPS,
                ReportBuilder.ROLES, ReportBuilder.ENCRYPTION, ReportBuilder.METADATA, ReportBuilder.DISTRIBUTION,
                ReportBuilder.RETENTION, ReportBuilder.NAG)) {
            assertTrue(markdown.contains("\n## " + section + "\n"), section);
            assertTrue(html.contains(">" + section + "</h2>"), section);
        }
        assertFalse(markdown.contains(ReportBuilder.CHANGES), "no baseline, no changes section");
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("10 stacks"), stdout::toString);
        assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("Control Tower: 0 failures not accepted, 0 stale "
                + "accepted risks, 38 failures accepted by design"), stdout::toString);
        for (StackTemplate stack : report.model().stacks()) {
            String row = stack.name().startsWith("FractalNetwork-") ? "| `FractalNetwork-<region>` | all 7 regions |"
                    : "| `" + stack.name() + "` | " + stack.region() + " |";
            assertTrue(markdown.contains(row), stack.name() + ": " + row);
        }
        assertTrue(markdown.indexOf("\n## " + ReportBuilder.SUMMARY + "\n") < markdown.indexOf("\n## "
                + ReportBuilder.FLAGS + "\n"), "the summary comes first");
        assertTrue(markdown.contains("| **OK** | Control Tower proactive controls | 0 failures not accepted, 0 stale "
                + "accepted risks, "),
                "the gate's verdict in the summary");
        assertTrue(markdown.contains("\n## " + ReportBuilder.CONTROL_TOWER + "\n") && html.contains(">"
                + ReportBuilder.CONTROL_TOWER + "</h2>"));
        assertTrue(markdown.contains("| **EXCEPTED** | `CT.EC2.PR.8` | FractalDevInstance-alice | us-east-1 | `DevInstance"),
                "the dev instance's public IP, excepted by design");
        assertTrue(markdown.contains("| `CT.KMS.PR.3` | Require an AWS KMS key policy to have a statement that limits "
                + "creation of AWS KMS grants to AWS services |"), "the CreateGrant guard passes");
        assertTrue(markdown.contains("| ingress | tcp | 22 | `203.0.113.0/24`"), "the SSH rule as a table row");
        assertTrue(html.contains("<td>ingress</td>\n<td>tcp</td>\n<td>22</td>\n<td><code>203.0.113.0/24</code>"));
        assertEquals(markdown.lines().filter(line -> line.startsWith("#")).count(), count(html, "<h[1-6][ >]"),
                "every heading of the Markdown is one in HTML");
        List<String> rows = markdown.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| --- |"))
                .toList();
        assertEquals(rows.size(), count(html, "<tr>"), "every table row of the Markdown is one in HTML");
        assertEquals(rows.stream().mapToLong(row -> row.split("(?<!\\\\)\\|").length - 1).sum(),
                count(html, "<t[hd]>"), "and every cell");
        assertEquals(count(markdown, "\\| \\*\\*EXCEPTED\\*\\* \\|"), count(html,
                "<td><strong class=\"excepted\">EXCEPTED</strong></td>"), "each status keeps its emphasis");
    }

    private static long count(final String text, final String regex) {
        return Pattern.compile(regex).matcher(text).results().count();
    }

    private static List<String> distributionRegions() {
        List<String> regions = new ArrayList<>();
        resourcesOfType("AWS::ImageBuilder::DistributionConfiguration").forEach(c -> c.path("Properties")
                .path("Distributions").forEach(d -> regions.add(d.path("Region").asText())));
        return regions;
    }

    private static List<JsonNode> resourcesOfType(final String type) {
        List<JsonNode> found = new ArrayList<>();
        TEMPLATES.values().forEach(t -> resources(t, (id, r) -> {
            if (r.path("Type").asText().equals(type)) {
                found.add(r);
            }
        }));
        return found;
    }

    private static void resources(final JsonNode template, final BiConsumer<String, JsonNode> each) {
        template.path("Resources").fields().forEachRemaining(e -> each.accept(e.getKey(), e.getValue()));
    }

    private static SecurityGroup group(final String stack, final String logicalId) {
        return report.model().securityGroups().stream().filter(g -> g.stack().equals(stack)
                && g.logicalId().equals(logicalId)).findFirst()
                .orElseThrow(() -> new AssertionError("no group " + stack + " " + logicalId + " in the report"));
    }

    private static IamRole role(final String stack, final String logicalId) {
        return report.model().roles().stream().filter(r -> r.stack().equals(stack) && r.logicalId().equals(logicalId))
                .findFirst().orElseThrow(() -> new AssertionError("no role " + stack + " " + logicalId));
    }
}
