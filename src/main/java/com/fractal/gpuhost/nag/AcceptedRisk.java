package com.fractal.gpuhost.nag;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * Every accepted risk of the project, declared once: the cdk-nag rules it suppresses, the Control Tower
 * controls it excepts, and why. A construct accepts a risk by naming its entry ({@link #acceptOn}); that one
 * call adds the cdk-nag suppressions and marks the construct's resources with the excepted controls in their
 * template Metadata, so the exception travels with the construct when it is renamed. The Control Tower gate
 * reads those marks from the synthesized templates and the reasons from {@link #writeExceptions}.
 */
public enum AcceptedRisk {
    STREAMING_PORTS_OPEN_TO_CLIENTS(List.of("AwsSolutions-EC23"), List.of("CT.EC2.PR.3"),
            "Streaming clients connect from anywhere on the internet: the streaming ports and ECS's dynamic "
                    + "host-port range are open to 0.0.0.0/0 by design. SSH is never open "
                    + "to the world (sshCidr must be /8 or narrower)."),
    PUBLIC_SUBNETS_FOR_STREAMING(List.of(), List.of("CT.EC2.PR.11"),
            "GPU hosts take streaming traffic straight from clients, so they live in public subnets that give each "
                    + "instance a public IP; the VPC has no private subnets and no NAT gateway by design."),
    DEV_INSTANCE_PUBLIC_IP(List.of(), List.of("CT.EC2.PR.8"),
            "An engineer's dev instance is reached by the streaming client over its public IP, like a production "
                    + "host; shell access is through Session Manager."),
    DEV_INSTANCE_NOT_NITRO(List.of(), List.of("CT.EC2.PR.15", "CT.EC2.PR.16", "CT.EC2.PR.19"),
            "Only when a dev instance runs on g3, the family of the retired image variant: g3 (Tesla M60) runs "
                    + "on the Xen hypervisor, not Nitro, so it cannot encrypt traffic between instances in transit; "
                    + "the dev instance talks to clients, not to other instances. The default type, g4dn.xlarge, and "
                    + "every current family (g4dn, g5, g6, gr6, g6e) run on Nitro and need no such exception."),
    DEV_INSTANCE_DISPOSABLE(List.of("AwsSolutions-EC29"), List.of(),
            "A personal, disposable dev instance: its owner must be able to remove it with one cdk destroy, which "
                    + "termination protection would block; it holds no data of record."),
    SSM_AGENT_MANAGED_POLICY(List.of("AwsSolutions-IAM4"), List.of(),
            "AmazonSSMManagedInstanceCore is AWS's own minimal policy for the SSM agent and Session Manager (the "
                    + "only shell access to the instance); AWS keeps it in step with the agent."),
    BUILD_INSTANCE_MANAGED_POLICIES(List.of("AwsSolutions-IAM4"), List.of(),
            "AWS's own minimal policies that Image Builder documents for build and test instances: the SSM agent "
                    + "that runs AWSTOE, and Image Builder's calls from the instance."),
    BUILD_LOG_WRITES_UNDER_PREFIXES(List.of("AwsSolutions-IAM5"), List.of(),
            "Each build writes logs and its version manifest under keys it creates at run time; writes are "
                    + "confined to those two prefixes of the project's own log bucket."),
    LIFECYCLE_MANAGED_POLICY(List.of("AwsSolutions-IAM4"), List.of(),
            "The policy AWS documents for Image Builder lifecycle policies; it only acts on resources the "
                    + "lifecycle policy selects."),
    BUILD_LOGS_WITHOUT_ACCESS_LOGS(List.of("AwsSolutions-S1"), List.of("CT.S3.PR.2"),
            "This bucket holds build logs itself: access logs can only go to a bucket with SSE-S3 (not SSE-KMS), "
                    + "which would need its own logging; the only writers are this pipeline's build instances, and "
                    + "CloudTrail records who reads the logs."),
    BUILD_LOGS_WITHOUT_EVENTS(List.of(), List.of("CT.S3.PR.4"),
            "Nothing consumes events about build logs: each build's outcome already goes to the encrypted SNS "
                    + "topic that Image Builder notifies."),
    BUILD_LOGS_WITHOUT_OBJECT_LOCK(List.of(), List.of("CT.S3.PR.9"),
            "Object Lock can only be turned on for a new bucket (replacing the retained one) and would keep every "
                    + "log version for its retention period; the bucket is versioned, retained when the stack is "
                    + "deleted, and expires logs after a year on purpose."),
    DRIVER_MIRROR_WITHOUT_EVENTS_OR_LOCK(List.of(), List.of("CT.S3.PR.4", "CT.S3.PR.9"),
            "The driver mirror changes only when a team member qualifies a driver, and that change is reviewed as a "
                    + "pull request of the pin; nothing consumes events about it. Object Lock would keep every "
                    + "version for a fixed period; the bucket is versioned and retained when the stack is deleted, "
                    + "and every build checks the pinned SHA-256, so changed bytes stop a build instead of reaching "
                    + "an image."),
    ACCESS_LOG_BUCKET(List.of("AwsSolutions-S1"), List.of("CT.S3.PR.2", "CT.S3.PR.4", "CT.S3.PR.9", "CT.S3.PR.10"),
            "The bucket that receives the driver mirror's S3 server access logs: S3's log delivery writes only into "
                    + "an SSE-S3 bucket (not SSE-KMS), a log bucket does not log its own access (that would loop), "
                    + "nothing consumes its events, and it is versioned and retained instead of object-locked."),
    CI_DEPLOY_SCOPED_WILDCARDS(List.of("AwsSolutions-IAM5"), List.of(),
            "Image Builder names each run's image by recipe, version and build number, and writes one AMI ID "
                    + "parameter per image under the project's path: the wildcards stay inside the project's name "
                    + "prefix and SSM path, in the build region for images, read-only for parameters. Version "
                    + "manifests are read-only, under the manifests prefix of the pipeline's log bucket, whose name "
                    + "CloudFormation generates. Tags go only on AMIs that carry the project tag; the release "
                    + "command tags image/* and snapshot/* of the active regions, limited by condition to the "
                    + "channels' held-by tag keys; ec2:DescribeImages takes no resource-level permission; the log "
                    + "and topic keys are usable only through S3 and SNS for the project's bucket and topic. The "
                    + "driver mirror's objects are read and written by qualification, whose keys are the drivers "
                    + "AWS publishes, and only in the project's mirror bucket. With OUs or an organization to share "
                    + "with, the release command assumes the channel writer role, by its exact name, in accounts "
                    + "listed only at release time; that role trusts only the build account's release principals."),
    CHANNEL_WRITER_SCOPED_WILDCARDS(List.of("AwsSolutions-IAM5"), List.of(),
            "The release channel writer in a workload account reads and writes the channel parameters of every "
                    + "image variant and channel, which the release command creates on first promotion: the "
                    + "wildcards stay inside the project's SSM path of channels, in that account only; "
                    + "ec2:DescribeImages takes no resource-level permission.");

    /** The template Metadata key that lists, per accepted risk, the Control Tower controls it excepts. */
    public static final String METADATA_KEY = "AcceptedRisks";
    /** The file, in the cloud assembly, that the Control Tower gate reads the reasons from. */
    public static final String EXCEPTIONS_FILE = "control-tower-exceptions.json";

    private final List<String> nagRules;
    private final List<String> controls;
    private final String reason;

    AcceptedRisk(final List<String> nagRules, final List<String> controls, final String reason) {
        this.nagRules = nagRules;
        this.controls = controls;
        this.reason = reason;
    }

    public List<String> nagRules() {
        return nagRules;
    }

    public List<String> controls() {
        return controls;
    }

    public String reason() {
        return reason;
    }

    /** The construct accepts this risk for all findings of its cdk-nag rules. */
    public void acceptOn(final IConstruct construct) {
        acceptOn(construct, List.of());
    }

    /**
     * The construct accepts this risk: its cdk-nag rules are suppressed on it and its children (only for
     * these findings, in cdk-nag's applies_to form, unless empty), and its resources carry the excepted
     * Control Tower controls.
     */
    public void acceptOn(final IConstruct construct, final List<String> appliesTo) {
        if (!nagRules.isEmpty()) {
            NagSuppressions.addResourceSuppressions(construct, nagRules.stream().map(rule -> NagPackSuppression
                    .builder().id(rule).reason(reason).appliesTo(appliesTo.isEmpty() ? null : List.copyOf(appliesTo))
                    .build()).toList(), true);
        }
        if (!controls.isEmpty()) {
            List<CfnResource> marked = markedResources(construct);
            if (marked.isEmpty()) {
                throw new IllegalArgumentException("accepted risk " + name() + ": " + construct.getNode().getPath()
                        + " holds no resource of the services its controls check (" + String.join(", ", controls) + ")");
            }
            marked.forEach(this::mark);
        }
    }

    /** The construct's own resource, or else every resource under it that a control of this entry checks. */
    private List<CfnResource> markedResources(final IConstruct construct) {
        if (construct instanceof CfnResource resource) {
            return List.of(resource);
        }
        if (construct.getNode().getDefaultChild() instanceof CfnResource resource) {
            return List.of(resource);
        }
        return construct.getNode().findAll().stream().filter(CfnResource.class::isInstance).map(CfnResource.class::cast)
                .filter(r -> controls.stream().anyMatch(c -> r.getCfnResourceType().startsWith(service(c))))
                .toList();
    }

    /** CT.EC2.PR.3 checks resources of type AWS::EC2::*. */
    private static String service(final String control) {
        return "AWS::" + control.split("\\.")[1] + "::";
    }

    @SuppressWarnings("unchecked")
    private void mark(final CfnResource resource) {
        Map<String, Object> risks = new LinkedHashMap<>();
        if (resource.getMetadata(METADATA_KEY) instanceof Map<?, ?> existing) {
            risks.putAll((Map<String, Object>) existing);
        }
        risks.put(name(), controls);
        resource.addMetadata(METADATA_KEY, risks);
    }

    /**
     * Writes every entry that excepts a Control Tower control, with its reason, into the assembly folder, for
     * the gate (scripts/check-control-tower.sh) and the audit report.
     */
    public static Path writeExceptions(final Path assemblyDir) {
        List<Map<String, Object>> entries = new ArrayList<>();
        Arrays.stream(values()).filter(risk -> !risk.controls.isEmpty()).forEach(risk -> entries.add(Map.of(
                "risk", risk.name(), "controls", risk.controls, "reason", risk.reason)));
        Path file = assemblyDir.resolve(EXCEPTIONS_FILE);
        try {
            Files.createDirectories(assemblyDir);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValue(file.toFile(), Map.of("about", "Control Tower controls that fail by design, one "
                            + "entry per accepted risk (AcceptedRisk). A resource's Metadata." + METADATA_KEY
                            + " names the risks it accepts and their controls.", "exceptions", entries));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
        return file;
    }
}
