package com.fractal.gpuhost.devinstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import com.fractal.gpuhost.settings.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * alice's dev instance with defaults; bob's in another region with a key pair and no idle stop (two active regions
 * are enough for that); dev instances from a channel and from `latest`, in configurations other tests read too.
 */
class DevInstanceStackTest {
    private static Stack aliceStack;
    private static Settings aliceSettings;
    private static Template alice;
    private static Template bob;

    @BeforeAll
    static void synthesize() {
        TestApps.Synthesized app = TestApps.synthesize(TestApps.DEV_CI_SSH);
        aliceSettings = app.settings();
        aliceStack = app.stack(aliceSettings.names().devInstanceStack("alice"));
        alice = Template.fromStack(aliceStack);
        bob = Template.fromStack(TestApps.synthesize(Map.of("developer", "bob", "devRegion", "eu-west-1",
                "imageVariants", "ubuntu24-r580,ubuntu20-r535", "devInstanceType", "g3.4xlarge",
                "keyPair", "bob-laptop", "devIdleStopMinutes", 0, "rootVolumeGiB", 100,
                "activeRegions", "us-east-1,eu-west-1")).stack("FractalDevInstance-bob"));
    }

    @Test
    void runsInTheBuildRegionByDefault() {
        assertEquals("us-east-1", aliceStack.getRegion());
    }

    @Test
    void launchTemplateRequiresImdsv2AndAnEncryptedGp3Root() {
        alice.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "InstanceType", "g4dn.xlarge",
                "MetadataOptions", Map.of("HttpTokens", "required"),
                "BlockDeviceMappings", List.of(Map.of("DeviceName", "/dev/sda1", "Ebs", Map.of(
                        "VolumeSize", 32, "VolumeType", "gp3", "Encrypted", true, "DeleteOnTermination", true))),
                "ImageId", Map.of("Ref", Match.stringLikeRegexp("SsmParameterValueawsservicecanonicalubuntuserver2404.*"))))));
        bob.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "InstanceType", "g3.4xlarge", "KeyName", "bob-laptop",
                "BlockDeviceMappings", List.of(Match.objectLike(Map.of("Ebs", Match.objectLike(Map.of("VolumeSize", 100)))))))));
    }

    /** Stock Ubuntu of the variant that serves the type: 24.04 for g4dn, 20.04 for g3 (when that variant is on). */
    @Test
    void baseImageIsTheServingVariantsUbuntu() {
        assertEquals(List.of("/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id"),
                imageParameters(alice));
        assertEquals(List.of("/aws/service/canonical/ubuntu/server/20.04/stable/current/amd64/hvm/ebs-gp2/ami-id"),
                imageParameters(bob));
        assertTrue(userDataLines(bob).contains("export IMAGE_VARIANT=ubuntu20-r535"), userDataLines(bob)::toString);
    }

    /** A dev instance in another region still gets its driver from the one mirror, in the build region. */
    @Test
    void aDevInstanceInAnotherRegionReadsTheMirrorOfTheBuildRegion() {
        assertTrue(userDataLines(bob).contains("export NVIDIA_DRIVER_MIRROR_BUCKET=fractal-gpu-host-drivers-"
                + "<{Ref=AWS::AccountId}>-us-east-1 NVIDIA_DRIVER_MIRROR_REGION=us-east-1"), userDataLines(bob)::toString);
    }

    /** The SSM parameter names the launch template's ImageId resolves at deploy time. */
    private static List<String> imageParameters(final Template template) {
        Map<?, ?> data = (Map<?, ?>) ((Map<?, ?>) template.findResources("AWS::EC2::LaunchTemplate").values()
                .iterator().next().get("Properties")).get("LaunchTemplateData");
        String ref = String.valueOf(((Map<?, ?>) data.get("ImageId")).get("Ref"));
        Map<?, ?> parameter = (Map<?, ?>) template.toJSON().get("Parameters");
        return List.of(String.valueOf(((Map<?, ?>) parameter.get(ref)).get("Default")));
    }

    /**
     * devImage=stable: the launch template boots what the stable channel of the serving variant holds, and the
     * user data installs only Go (the image holds the host setup, so no setup script and no reboot).
     */
    @Test
    void aDevInstanceFromAChannelBootsThatVariantsChannelAndOnlyInstallsGo() {
        Template carol = Template.fromStack(TestApps.synthesize(TestApps.EVERY_STACK) // devImage=stable
                .stack("FractalDevInstance-alice"));
        assertEquals(List.of("/fractal/image/ubuntu24-r580/channels/stable/ami-id"), imageParameters(carol));
        List<String> lines = userDataLines(carol);
        assertEquals(List.of(
                "export IMAGE_VARIANT=ubuntu24-r580",
                "echo \"dev instance from a published host image: the host setup is baked in; installing Go\"",
                "bash /opt/fractal/host-scripts/install_go.sh",
                "echo \"dev instance setup: done $(date --iso-8601=seconds)\""),
                lines.stream().filter(line -> line.startsWith("export IMAGE") || line.startsWith("bash ")
                        || line.startsWith("echo \"dev instance ") && !line.contains("start")).toList());
        assertFalse(lines.contains("reboot"), "no driver to load: no reboot");

        Template dave = Template.fromStack(TestApps.synthesize(TestApps.TWO_VARIANTS).stack("FractalDevInstance-dave"));
        assertEquals(List.of("/imagebuilder/fractal/ubuntu20-r535/ami-id"), imageParameters(dave));
    }

    @Test
    void instanceJoinsContainerTestingThroughIdsReadFromSsmAtDeployTime() {
        alice.hasParameter("*", Map.of("Type", "AWS::SSM::Parameter::Value<String>",
                "Default", "/fractal/network/security-groups/container-testing-id"));
        alice.hasParameter("*", Map.of("Type", "AWS::SSM::Parameter::Value<List<String>>",
                "Default", "/fractal/network/public-subnet-ids"));
        alice.hasResourceProperties("AWS::EC2::Instance", Map.of("Monitoring", true,
                "NetworkInterfaces", List.of(Match.objectLike(Map.of(
                        "AssociatePublicIpAddress", true,
                        "GroupSet", List.of(Map.of("Ref", Match.stringLikeRegexp(".*containertestingid.*"))),
                        "SubnetId", Map.of("Fn::Select", List.of(0, Map.of("Ref",
                                Match.stringLikeRegexp(".*publicsubnetids.*")))))))));
        assertTrue(alice.toJSON().toString().indexOf("Fn::ImportValue") < 0, "no CloudFormation exports");
    }

    @Test
    void roleGivesSessionManagerAndReadsOnlyTheScriptsAndThePinnedDriver() {
        alice.hasResourceProperties("AWS::IAM::Role", Map.of("ManagedPolicyArns", List.of(Map.of("Fn::Join",
                List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                        ":iam::aws:policy/AmazonSSMManagedInstanceCore"))))));
        alice.hasResourceProperties("AWS::IAM::Policy", Map.of("PolicyDocument", Map.of("Version", "2012-10-17",
                "Statement", List.of(Map.of("Sid", "ReadHostScriptsAndNvidiaGridDriver", "Effect", "Allow",
                        "Action", "s3:GetObject", "Resource", List.of(
                                Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"), ":s3:::",
                                        Map.of("Fn::Sub", "cdk-hnb659fds-assets-${AWS::AccountId}-"
                                                + aliceSettings.devInstance().orElseThrow().region()),
                                        Match.stringLikeRegexp("/[0-9a-f]{64}\\.zip")))),
                                // The driver mirror in the build account and region, never AWS's bucket.
                                Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                        ":s3:::fractal-gpu-host-drivers-", Map.of("Ref", "AWS::AccountId"),
                                        "-" + aliceSettings.buildRegion() + "/"
                                                + aliceSettings.devInstance().orElseThrow().variant().driver().key()
                                        )))))))));
        alice.resourceCountIs("AWS::IAM::Policy", 1);
    }

    @Test
    void userDataRunsTheHostSetupFromTheScriptsAssetThenRebootsInThisOrder() {
        assertEquals(List.of(
                "#!/bin/bash",
                "set -euo pipefail",
                "export IMAGE_VARIANT=ubuntu24-r580",
                "exec > >(tee -a " + DevInstanceUserData.LOG_FILE + ") 2>&1",
                "echo \"dev instance setup: start $(date --iso-8601=seconds)\"",
                "export PATH=\"$PATH:/snap/bin\"",
                "command -v aws >/dev/null || snap install aws-cli --classic",
                "mkdir -p /opt/fractal/host-scripts",
                "aws s3 cp --only-show-errors --region us-east-1 's3://<assets bucket>/<asset hash>.zip' "
                        + "/opt/fractal/host-scripts.zip",
                "python3 -m zipfile -e /opt/fractal/host-scripts.zip /opt/fractal/host-scripts",
                "export TARGET_USER=ubuntu WAIT_FOR_CLOUD_INIT=0",
                "export NVIDIA_DRIVER_MIRROR_BUCKET=fractal-gpu-host-drivers-<{Ref=AWS::AccountId}>-us-east-1"
                        + " NVIDIA_DRIVER_MIRROR_REGION=us-east-1",
                "aws s3 cp --only-show-errors --region \"$NVIDIA_DRIVER_MIRROR_REGION\" \"s3://$NVIDIA_DRIVER_MIRROR_BUCKET/"
                        + "grid-19.0/NVIDIA-Linux-x86_64-580.65.06-grid-aws.run\" /opt/fractal/nvidia-grid-driver.run",
                "export NVIDIA_GRID_DRIVER_RUNFILE=/opt/fractal/nvidia-grid-driver.run",
                "bash /opt/fractal/host-scripts/setup_gpu_host.sh",
                "bash /opt/fractal/host-scripts/install_go.sh",
                "echo \"dev instance setup: done $(date --iso-8601=seconds); rebooting to load the NVIDIA driver\"",
                "reboot"), userDataLines(alice));
    }

    /** The launch template's user data, one command per element, with the asset's bucket and hash named. */
    private static List<String> userDataLines(final Template template) {
        Map<?, ?> data = (Map<?, ?>) template.findResources("AWS::EC2::LaunchTemplate").values().iterator().next()
                .get("Properties");
        Object userData = ((Map<?, ?>) ((Map<?, ?>) data.get("LaunchTemplateData")).get("UserData")).get("Fn::Base64");
        StringBuilder text = new StringBuilder();
        for (Object part : (List<?>) ((List<?>) ((Map<?, ?>) userData).get("Fn::Join")).get(1)) {
            text.append(part instanceof String literal ? literal
                    : String.valueOf(((Map<?, ?>) part).get("Fn::Sub")).matches("cdk-[a-z0-9]+-assets-.*")
                            ? "<assets bucket>" : "<" + part + ">");
        }
        return List.of(text.toString().replaceAll("/[0-9a-f]{64}\\.zip", "/<asset hash>.zip").split("\n"));
    }

    @Test
    void idleAlarmStopsTheInstanceAfterTwoHoursBelowFivePercentCpu() {
        alice.hasResourceProperties("AWS::CloudWatch::Alarm", Map.of(
                "MetricName", "CPUUtilization", "Namespace", "AWS/EC2", "Statistic", "Average", "Period", 300,
                "EvaluationPeriods", 24, "DatapointsToAlarm", 24, "Threshold", 5,
                "ComparisonOperator", "LessThanThreshold", "TreatMissingData", "notBreaching",
                "AlarmActions", List.of(Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                        ":automate:us-east-1:ec2:stop"))))));
        bob.resourceCountIs("AWS::CloudWatch::Alarm", 0);
    }

    @Test
    void outputsGiveTheInstanceTheSessionCommandAndTheDnsName() {
        alice.hasOutput("SessionCommand", Map.of("Value", Map.of("Fn::Join", List.of("", List.of(
                "aws ssm start-session --target ", Map.of("Ref", Match.stringLikeRegexp("DevInstance.*")),
                " --region us-east-1")))));
        alice.hasOutput("InstanceId", Match.anyValue());
        alice.hasOutput("PublicDnsName", Map.of("Value", Map.of("Fn::GetAtt",
                List.of(Match.stringLikeRegexp("DevInstance.*"), "PublicDnsName"))));
    }

    @Test
    void everythingCarriesTheOwnerTag() {
        alice.hasResourceProperties("AWS::EC2::Instance", Map.of("Tags", Match.arrayWith(List.of(
                Map.of("Key", "Name", "Value", "fractal-dev-alice"), Map.of("Key", "owner", "Value", "alice")))));
        alice.hasResourceProperties("AWS::IAM::Role", Map.of("Tags", Match.arrayWith(List.of(
                Map.of("Key", "owner", "Value", "alice")))));
        alice.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "TagSpecifications", Match.arrayWith(List.of(Map.of("ResourceType", "volume", "Tags",
                        Match.arrayWith(List.of(Map.of("Key", "Name", "Value", "fractal-dev-alice"),
                                Map.of("Key", "owner", "Value", "alice"))))))))));
    }
}
