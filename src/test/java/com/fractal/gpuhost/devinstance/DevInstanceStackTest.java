package com.fractal.gpuhost.devinstance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** alice's dev instance with defaults; bob's in another region with a key pair and no idle stop. */
class DevInstanceStackTest {
    private static Stack aliceStack;
    private static Template alice;
    private static Template bob;

    @BeforeAll
    static void synthesize() {
        aliceStack = TestApps.synthesize(Map.of("developer", "alice")).stack("FractalDevInstance-alice");
        alice = Template.fromStack(aliceStack);
        bob = Template.fromStack(TestApps.synthesize(Map.of("developer", "bob", "devRegion", "eu-west-1",
                "devInstanceType", "g3.4xlarge", "keyPair", "bob-laptop", "devIdleStopMinutes", 0,
                "rootVolumeGiB", 100)).stack("FractalDevInstance-bob"));
    }

    @Test
    void runsInTheBuildRegionByDefault() {
        assertEquals("us-east-1", aliceStack.getRegion());
    }

    @Test
    void launchTemplateRequiresImdsv2AndAnEncryptedGp3Root() {
        alice.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "InstanceType", "g3s.xlarge",
                "MetadataOptions", Map.of("HttpTokens", "required"),
                "BlockDeviceMappings", List.of(Map.of("DeviceName", "/dev/sda1", "Ebs", Map.of(
                        "VolumeSize", 32, "VolumeType", "gp3", "Encrypted", true, "DeleteOnTermination", true))),
                "ImageId", Map.of("Ref", Match.stringLikeRegexp("SsmParameterValueawsservicecanonicalubuntuserver2004.*"))))));
        bob.hasResourceProperties("AWS::EC2::LaunchTemplate", Map.of("LaunchTemplateData", Match.objectLike(Map.of(
                "InstanceType", "g3.4xlarge", "KeyName", "bob-laptop",
                "BlockDeviceMappings", List.of(Match.objectLike(Map.of("Ebs", Match.objectLike(Map.of("VolumeSize", 100)))))))));
    }

    @Test
    void baseImageIsCanonicalsUbuntu2004Parameter() {
        alice.hasParameter("*", Map.of("Type", "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                "Default", "/aws/service/canonical/ubuntu/server/20.04/stable/current/amd64/hvm/ebs-gp2/ami-id"));
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
                                Match.anyValue(),
                                Map.of("Fn::Join", List.of("", List.of("arn:", Map.of("Ref", "AWS::Partition"),
                                        Match.stringLikeRegexp(":s3:::ec2-linux-nvidia-drivers/grid-16\\..*\\.run"))))))))));
    }

    @Test
    void userDataRunsTheHostSetupFromTheScriptsAssetThenRebootsInThisOrder() {
        assertEquals(List.of(
                "#!/bin/bash",
                "set -euo pipefail",
                "exec > >(tee -a " + DevInstanceUserData.LOG_FILE + ") 2>&1",
                "echo \"dev instance setup: start $(date --iso-8601=seconds)\"",
                "export PATH=\"$PATH:/snap/bin\"",
                "command -v aws >/dev/null || snap install aws-cli --classic",
                "mkdir -p /opt/fractal/host-scripts",
                "aws s3 cp --only-show-errors --region us-east-1 's3://<assets bucket>/<asset hash>.zip' "
                        + "/opt/fractal/host-scripts.zip",
                "python3 -m zipfile -e /opt/fractal/host-scripts.zip /opt/fractal/host-scripts",
                "export TARGET_USER=ubuntu WAIT_FOR_CLOUD_INIT=0",
                "bash /opt/fractal/host-scripts/setup_ubuntu20_host.sh",
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
