package com.fractal.gpuhost.devinstance;

import java.util.List;
import java.util.Optional;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.CfnInstance;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IMachineImage;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.KeyPair;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.IRole;
import software.constructs.Construct;

/**
 * The dev instance itself: a launch template (IMDSv2 only, encrypted gp3 root, detailed monitoring) and
 * one instance launched from it into a public subnet and the container-testing group, both of which are
 * known only at deploy time (read from SSM).
 */
final class DevInstance extends Construct {
    /** Canonical's Ubuntu images boot from this device. */
    static final String ROOT_DEVICE = "/dev/sda1";

    private final CfnInstance instance;

    record Props(IMachineImage image, String instanceType, int rootVolumeGiB, IRole role, UserData userData,
            Optional<String> keyPair, String subnetId, String securityGroupId) {
    }

    DevInstance(final Construct scope, final String id, final Props props) {
        super(scope, id);
        LaunchTemplate.Builder template = LaunchTemplate.Builder.create(this, "LaunchTemplate")
                .machineImage(props.image())
                .instanceType(new InstanceType(props.instanceType()))
                .role(props.role())
                .userData(props.userData())
                .requireImdsv2(true)
                .detailedMonitoring(true)
                .ebsOptimized(true)
                .blockDevices(List.of(BlockDevice.builder()
                        .deviceName(ROOT_DEVICE)
                        .volume(BlockDeviceVolume.ebs(props.rootVolumeGiB(), EbsDeviceOptions.builder()
                                .volumeType(EbsDeviceVolumeType.GP3)
                                .encrypted(true)
                                .deleteOnTermination(true)
                                .build()))
                        .build()));
        props.keyPair().ifPresent(name -> template.keyPair(KeyPair.fromKeyPairName(this, "KeyPair", name)));
        LaunchTemplate launchTemplate = template.build();

        instance = CfnInstance.Builder.create(this, "Instance")
                .launchTemplate(CfnInstance.LaunchTemplateSpecificationProperty.builder()
                        .launchTemplateId(launchTemplate.getLaunchTemplateId())
                        .version(launchTemplate.getLatestVersionNumber())
                        .build())
                // The same type as the launch template's: Control Tower's Nitro controls (CT.EC2.PR.16, PR.19)
                // read the instance's own InstanceType and fail an instance that has none.
                .instanceType(props.instanceType())
                .monitoring(true)
                .networkInterfaces(List.of(CfnInstance.NetworkInterfaceProperty.builder()
                        .deviceIndex("0")
                        .subnetId(props.subnetId())
                        .groupSet(List.of(props.securityGroupId()))
                        .associatePublicIpAddress(true)
                        .deleteOnTermination(true)
                        .build()))
                .build();
    }

    CfnInstance instance() {
        return instance;
    }
}
