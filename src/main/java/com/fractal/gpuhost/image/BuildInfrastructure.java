package com.fractal.gpuhost.image;

import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.settings.ImageVariant;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.InstanceProfile;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.imagebuilder.CfnInfrastructureConfiguration;
import software.constructs.Construct;

/**
 * Where a variant's builds and tests run: its build instance types (GPU types of its families, since Image
 * Builder runs the test phase on the same configuration), the preferred type first and the others as
 * fallbacks when an AZ lacks capacity, IMDSv2 only,
 * terminated on failure, in the image-builder security group of the build region's network stack.
 */
public final class BuildInfrastructure extends Construct {
    private final CfnInfrastructureConfiguration configuration;
    private final Role role;

    /** What the build instances need. */
    public record Props(String name, ImageVariant variant, String subnetId, String securityGroupId,
            HostScriptsAsset scripts, BuildLogs logs, BuildNotifications notifications, DriverMirror mirror,
            Map<String, String> tags) {
    }

    public BuildInfrastructure(final Construct scope, final String id, final Props props) {
        super(scope, id);
        role = Role.Builder.create(this, "InstanceRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("GPU host image build and test instances: SSM, Image Builder, host scripts, logs")
                .managedPolicies(List.of(
                        ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore"),
                        ManagedPolicy.fromAwsManagedPolicyName("EC2InstanceProfileForImageBuilder")))
                .build();
        props.scripts().grantHostSetup(role, props.mirror().bucket().getBucketName(), props.variant().driver().key());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("WriteBuildLogs")
                .actions(List.of("s3:PutObject"))
                .resources(List.of(props.logs().bucket().arnForObjects(BuildLogs.PREFIX + "/*"),
                        props.logs().bucket().arnForObjects(BuildLogs.MANIFESTS_PREFIX + "/*")))
                .build());
        role.addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("EncryptBuildLogs")
                .actions(List.of("kms:GenerateDataKey", "kms:Decrypt"))
                .resources(List.of(props.logs().key().getKeyArn()))
                .build());
        InstanceProfile profile = InstanceProfile.Builder.create(this, "InstanceProfile").role(role).build();

        configuration = CfnInfrastructureConfiguration.Builder.create(this, "Configuration")
                .name(props.name())
                .description("Build and test instances of the " + props.variant().name() + " GPU host image")
                .instanceTypes(props.variant().buildInstanceTypes())
                .instanceProfileName(profile.getInstanceProfileName())
                .subnetId(props.subnetId())
                .securityGroupIds(List.of(props.securityGroupId()))
                .terminateInstanceOnFailure(true)
                .instanceMetadataOptions(CfnInfrastructureConfiguration.InstanceMetadataOptionsProperty.builder()
                        .httpTokens("required")
                        .build())
                .logging(CfnInfrastructureConfiguration.LoggingProperty.builder()
                        .s3Logs(CfnInfrastructureConfiguration.S3LogsProperty.builder()
                                .s3BucketName(props.logs().bucket().getBucketName())
                                .s3KeyPrefix(BuildLogs.PREFIX)
                                .build())
                        .build())
                .snsTopicArn(props.notifications().topic().getTopicArn())
                .resourceTags(props.tags())
                .build();
    }

    public String arn() {
        return configuration.getAttrArn();
    }

    public Role role() {
        return role;
    }
}
