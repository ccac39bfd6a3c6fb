#!/usr/bin/env python3
"""moto's server for the emulator tests (scripts/lib/emulator.sh starts it), with what only AWS itself can write.

Usage: emulator-server.py PORT ACCOUNT REGION BASE_IMAGE_PARAMETER

Serves moto on 127.0.0.1:PORT after two preparations that no AWS API call can make:

1. It seeds BASE_IMAGE_PARAMETER (Canonical's public AMI parameter) with one of the Ubuntu AMIs that
   moto ships. Names under /aws/ belong to AWS: PutParameter refuses them (AccessDeniedException, in
   moto as in AWS), so the value is written into the emulator's own store, as AWS publishes it.
2. It fills three gaps in moto 5.2's CloudFormation resource handlers, each by handing CloudFormation's
   properties to moto's own API model unchanged in meaning:
   - AWS::SSM::Parameter: CloudFormation takes Tags as a key-value map (as the CDK writes them); moto
     expects a list of {Key, Value} and fails the resource. The map becomes that list.
   - AWS::EC2::Instance: moto's handler needs an ImageId and ignores LaunchTemplate, NetworkInterfaces
     and Monitoring. An instance that names a launch template and no image is launched as
     CloudFormation launches it: one RunInstances call (moto's) with the launch template, the network
     interfaces and the monitoring flag. Whatever moto's RunInstances does not take from a launch
     template stays untaken; the test reports it as not covered.
   - AWS::KMS::Key: CloudFormation takes Tags as a list of {Key, Value} and KeyPolicy as a JSON object; moto
     passes both to its KMS API model, which expects {TagKey, TagValue} and a policy document string, and
     fails the resource. They become those.

Everything else is moto as it is, and moto's own reset (POST /moto-api/reset, which the emulator tests use to
share one server) seeds BASE_IMAGE_PARAMETER again.
"""
import json
import sys

from moto import server
from moto.moto_api._internal.models import MotoAPIBackend
from moto.core.utils import utcnow
from moto.ec2.models import ec2_backends
from moto.ec2.models import instances as ec2_instances
from moto.kms import models as kms_models
from moto.ssm import models as ssm_models

# Canonical's Ubuntu images, as moto ships them.
UBUNTU_AMI_NAME = "ubuntu/images/hvm-ssd/ubuntu-*-amd64-server-*"


def seed_base_image_parameter(account: str, region: str, name: str) -> str:
    images = ec2_backends[account][region].describe_images(filters={"name": [UBUNTU_AMI_NAME]})
    if not images:
        sys.exit(f"emulator-server: moto ships no AMI named {UBUNTU_AMI_NAME} in {region}")
    image = max(images, key=lambda i: i.name)
    ssm = ssm_models.ssm_backends[account][region]
    ssm._parameters[name].append(ssm_models.Parameter(
        account_id=account, name=name, value=image.id, parameter_type="String", description=None,
        allowed_pattern=None, keyid=None, last_modified_date=utcnow(), version=1,
        data_type="aws:ec2:image"))
    return image.id


def accept_ssm_parameter_tag_maps() -> None:
    original = ssm_models.Parameter.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        tags = cloudformation_json.get("Properties", {}).get("Tags")
        if isinstance(tags, dict):
            cloudformation_json["Properties"]["Tags"] = [{"Key": k, "Value": v} for k, v in tags.items()]
        return original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)

    ssm_models.Parameter.create_from_cloudformation_json = classmethod(create)


def launch_instances_from_launch_templates() -> None:
    original = ec2_instances.Instance.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        if "ImageId" in properties or "LaunchTemplate" not in properties:
            return original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        template = properties["LaunchTemplate"]
        nics = [{
            "DeviceIndex": int(nic["DeviceIndex"]),
            "SubnetId": nic.get("SubnetId"),
            "Groups": list(nic.get("GroupSet", [])),
            "AssociatePublicIpAddress": nic.get("AssociatePublicIpAddress"),
            "DeleteOnTermination": nic.get("DeleteOnTermination"),
        } for nic in properties.get("NetworkInterfaces", [])]
        reservation = ec2_backends[account_id][region_name].run_instances(
            image_id=None, user_data=properties.get("UserData"), count=1, security_group_names=[],
            launch_template={key: template[key] for key in ("LaunchTemplateId", "LaunchTemplateName", "Version")
                             if key in template},
            nics=nics, region_name=region_name, is_instance_type_default="InstanceType" not in properties,
            instance_type=properties.get("InstanceType", "m1.small"),
            monitoring_state="enabled" if properties.get("Monitoring") in (True, "true") else "disabled")
        instance = reservation.instances[0]
        for tag in properties.get("Tags", []):
            instance.add_tag(tag["Key"], tag["Value"])
        return instance

    ec2_instances.Instance.create_from_cloudformation_json = classmethod(create)


def accept_kms_key_tags_and_policy_objects() -> None:
    original = kms_models.Key.create_from_cloudformation_json.__func__

    def create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json.get("Properties", {})
        properties["Tags"] = [{"TagKey": t["Key"], "TagValue": t["Value"]} for t in properties.get("Tags", [])]
        if isinstance(properties.get("KeyPolicy"), dict):
            properties["KeyPolicy"] = json.dumps(properties["KeyPolicy"])
        return original(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)

    kms_models.Key.create_from_cloudformation_json = classmethod(create)


def reseed_after_reset(account: str, region: str, name: str) -> None:
    original = MotoAPIBackend.reset

    def reset(self) -> None:
        original(self)
        seed_base_image_parameter(account, region, name)
    MotoAPIBackend.reset = reset


def main() -> None:
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    port, account, region, parameter = sys.argv[1:]
    accept_ssm_parameter_tag_maps()
    launch_instances_from_launch_templates()
    accept_kms_key_tags_and_policy_objects()
    ami = seed_base_image_parameter(account, region, parameter)
    reseed_after_reset(account, region, parameter)
    print(f"emulator-server: seeded {parameter} = {ami}", flush=True)
    server.main(["-H", "127.0.0.1", "-p", port])


if __name__ == "__main__":
    main()
