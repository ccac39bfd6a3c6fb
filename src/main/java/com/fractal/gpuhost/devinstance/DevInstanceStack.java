package com.fractal.gpuhost.devinstance;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import com.fractal.gpuhost.image.DriverMirror;
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.network.HostSecurityGroup;
import com.fractal.gpuhost.settings.DevImage;
import com.fractal.gpuhost.settings.DevInstanceSettings;
import com.fractal.gpuhost.settings.InstanceTypes;
import com.fractal.gpuhost.settings.Settings;
import com.fractal.gpuhost.settings.SsmNames;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.TagProps;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.IMachineImage;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.ssm.StringListParameter;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * One engineer's GPU dev instance, in the container-testing group of its region. Network IDs are read
 * from the SSM parameters the network stack publishes, resolved at deploy time.
 */
public final class DevInstanceStack extends Stack {
    private static final int NAME_TAG_PRIORITY = 300;

    private final DevInstance devInstance;
    private final Role role;
    private final HostScriptsAsset scripts;

    /** @param componentsDir the image components, whose unpack command the user data runs too */
    public DevInstanceStack(final Construct scope, final StackProps props, final Settings settings,
            final Path componentsDir) {
        super(scope, settings.names().devInstanceStack(settings.devInstance().orElseThrow().developer()), props);
        DevInstanceSettings dev = settings.devInstance().orElseThrow();
        SsmNames names = settings.ssmNames();
        ProjectTags.apply(this, settings.names(), "dev-instance");
        Tags.of(this).add("owner", dev.developer());
        // Above the launch template's own Name tag (its construct path), which means nothing in the console.
        Tags.of(this).add("Name", settings.names().devInstanceNameTag(dev.developer()), TagProps.builder().priority(NAME_TAG_PRIORITY).build());

        role = Role.Builder.create(this, "InstanceRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("Dev instance of " + dev.developer() + ": Session Manager, host scripts, NVIDIA driver")
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
                .build();
        scripts = new HostScriptsAsset(this, "HostScripts", settings.hostScriptsDir());
        // The driver comes from the mirror in the build account's build region, whatever the instance's region.
        scripts.grantHostSetup(role, DriverMirror.bucketName(settings.buildRegion()), dev.variant().driver().key());

        String subnetId = Fn.select(dev.subnetIndex(),
                StringListParameter.valueForTypedListParameter(this, names.publicSubnetIds()));
        String groupId = StringParameter.valueForStringParameter(this,
                names.securityGroupId(HostSecurityGroup.CONTAINER_TESTING.key()));
        devInstance = new DevInstance(this, "DevInstance", new DevInstance.Props(
                baseImage(settings, dev), dev.instanceType(), settings.rootVolumeGiB(), role,
                dev.image().published()
                        ? DevInstanceUserData.publishedImage(scripts, componentsDir, dev.region(), dev.variant())
                        : DevInstanceUserData.hostSetup(scripts, componentsDir, dev.region(), dev.variant(),
                                settings.buildRegion()),
                dev.keyPair(), subnetId, groupId));
        String instanceId = devInstance.instance().getRef();
        if (dev.idleStopEnabled()) {
            new IdleStopAlarm(this, "IdleStop", instanceId, dev.idleStopMinutes(), dev.idleCpuPercent());
        }

        suppressJustifiedFindings(dev.instanceType());

        output("InstanceId", "The dev instance's ID", instanceId);
        output("SessionCommand", "Open a shell on the instance (AWS CLI with the Session Manager plugin)",
                Fn.join("", List.of("aws ssm start-session --target ", instanceId, " --region ", dev.region())));
        output("PublicDnsName", "Public DNS name: point the streaming client here",
                devInstance.instance().getAttrPublicDnsName());
        output("SetupLog", "Where the first-boot setup writes its progress", DevInstanceUserData.LOG_FILE);
    }

    /**
     * The image's SSM parameter, resolved at deploy time (no lookup at synth), always of the variant that
     * serves the instance's type. A published image already went through the host setup; stock Ubuntu (the
     * variant's base image) gets it at first boot.
     */
    static String imageParameter(final Settings settings, final DevInstanceSettings dev) {
        DevImage image = dev.image();
        String variant = dev.variant().name();
        if (image.latest()) {
            return settings.ssmNames().hostAmiId(variant);
        }
        return image.channel().map(channel -> settings.ssmNames().channelAmiId(variant, channel))
                .orElse(dev.variant().baseImageSsmParameter());
    }

    private IMachineImage baseImage(final Settings settings, final DevInstanceSettings dev) {
        return MachineImage.fromSsmParameter(imageParameter(settings, dev));
    }

    private void output(final String id, final String description, final String value) {
        CfnOutput.Builder.create(this, id).description(description).value(value).build();
    }

    private void suppressJustifiedFindings(final String instanceType) {
        AcceptedRisk.SSM_AGENT_MANAGED_POLICY.acceptOn(role,
                List.of("Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore"));
        AcceptedRisk.DEV_INSTANCE_DISPOSABLE.acceptOn(devInstance.instance());
        AcceptedRisk.DEV_INSTANCE_PUBLIC_IP.acceptOn(devInstance.instance());
        if (!InstanceTypes.isNitro(instanceType)) {
            AcceptedRisk.DEV_INSTANCE_NOT_NITRO.acceptOn(devInstance);
        }
    }

    public Role role() {
        return role;
    }
}
