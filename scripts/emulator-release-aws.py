#!/usr/bin/env python3
"""AWS calls for scripts/emulator-release-test.sh, made with boto3 against the emulator (AWS_ENDPOINT_URL).

Usage: emulator-release-aws.py SETTINGS_JSON STATE_JSON COMMAND [ARGS]
       emulator-release-aws.py SETTINGS_JSON STATE_JSON serve

serve answers one command per line of stdin (its words separated by tabs) with that command's output lines,
then one line of ASCII record separator (0x1e) and the exit status (0, or 1 and the error on stderr): one
process, with boto3 imported and its clients made once, answers every question of a test, where a process
per question cost more than the emulator's answer (scripts/lib/emulator.sh, release_helper_start).

SETTINGS_JSON is the assembly's gpu-host-settings.json, or - for organization, which reads none.
Builds are named by a label (a, b, c...); STATE_JSON remembers each label's AMI ID per region, so the
checks print labels, one per active region in the settings' order, instead of AMI IDs.

  build LABEL [VARIANT]    what Image Builder leaves after a passing build of VARIANT (default: the first
                           active one), in every active region: an instance's image (run-instances +
                           create-image: an AMI with its snapshot), tagged as that variant's pipeline tags
                           it and as CI tags it from the version manifest (the GRID driver's SHA-256, from
                           DRIVER_SHA256 in the environment), shared by launch permission with the accounts,
                           OUs and organization of the settings' "sharing", as the distribution shares it,
                           copied (an image of the same name, made in that account) into each account of its
                           "copyToAccounts", as the distribution copies it, and the variant's
                           /imagebuilder/... latest parameter
  ami LABEL REGION         that build's AMI ID in one region
  deregister LABEL REGION  remove that build's AMI from one region
  fill-history NAME REGION [ACCOUNT]
                           fill the parameter's history to SSM's 100 versions, the oldest labelled: the next
                           PutParameter fails with ParameterMaxVersionLimitExceeded, as in AWS
  topic                    create the build topic, subscribe a queue to it, publish its ARN in SSM
  channel NAME [ACCOUNT]   the label each region's parameter NAME holds ("-" for none), in the build account
                           or, through the channel writer role assumed there, in a workload ACCOUNT
  organization             an organization (the build account is its management account: moto's
                           Organizations answers List* only there) with two OUs, prod and staging, a new
                           member account in each, and a third member in the root that will own copies;
                           prints the OUs' ARNs, their members, and the third member, one line each
  put NAME REGION ACCOUNT LABEL  write a build's AMI ID into a workload account's parameter, by hand
  unshare LABEL REGION OU_ARN    remove that OU from the launch permissions of the build's AMI in one region
  held KEY                 the labels whose AMI and snapshots carry tag KEY in every region ("x?" if only in some)
  state C1 C2 K1 K2        channel C1, channel C2, held K1 and held K2, one line each (one process for the four)
  announced                the subjects of the messages the topic delivered
"""
import functools
import json
import os
import sys
import traceback

import boto3

SETTINGS = json.load(open(sys.argv[1])) if sys.argv[1:2] != ["-"] else {}
STATE_FILE = sys.argv[2]
STATE = json.load(open(STATE_FILE)) if os.path.exists(STATE_FILE) else {"builds": {}}
REGIONS = [SETTINGS["buildRegion"]] + [r for r in SETTINGS["activeRegions"] if r != SETTINGS["buildRegion"]] \
    if SETTINGS else []
RELEASE = SETTINGS.get("release", {})
QUEUE = "release-announcements"
DRIVER_SHA256 = os.environ.get("DRIVER_SHA256", "")


SHARING = SETTINGS.get("sharing", {})


@functools.cache
def client(service, region, account=None):
    """One client per service, region and account: making one loads botocore's model of the service, which
    costs more than the emulator's answer (the held check alone asked for one per build and region)."""
    if account is None:
        return boto3.client(service, region_name=region)
    # moto acts in the account whose role the credentials come from, as AWS does.
    role = f"arn:aws:iam::{account}:role/{SHARING['channelWriterRole']}"
    credentials = boto3.client("sts", region_name=region).assume_role(
        RoleArn=role, RoleSessionName="emulator-check")["Credentials"]
    return boto3.client(service, region_name=region, aws_access_key_id=credentials["AccessKeyId"],
                        aws_secret_access_key=credentials["SecretAccessKey"],
                        aws_session_token=credentials["SessionToken"])


def launch_permissions():
    permissions = [{"UserId": account} for account in SHARING.get("accounts", [])]
    permissions += [{"OrganizationalUnitArn": unit} for unit in SHARING.get("organizationalUnits", [])]
    if SHARING.get("organization"):
        permissions.append({"OrganizationArn": SHARING["organization"]})
    return permissions


def save():
    json.dump(STATE, open(STATE_FILE, "w"))


def label_of(region, ami, account=None):
    if account in SHARING.get("copyToAccounts", []):
        for label, copies in STATE["copies"].items():
            if copies[account].get(region) == ami:
                return label
        return ami
    for label, amis in STATE["builds"].items():
        if amis.get(region) == ami:
            return label
    return ami


def image(ec2, name, base):
    """An instance's image (launched from the image base), so that the AMI has a snapshot, as Image Builder's have."""
    instance = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    ami = ec2.create_image(InstanceId=instance, Name=name)["ImageId"]
    ec2.terminate_instances(InstanceIds=[instance])
    return ami


def build(label, variant=None):
    if len(DRIVER_SHA256) != 64:
        sys.exit("build: DRIVER_SHA256 (the SHA-256 the build measured) is not set")
    pipeline = RELEASE["variants"][variant or SETTINGS["imageVariants"][0]]
    amis = {}
    copies = {account: {} for account in SHARING.get("copyToAccounts", [])}
    name = f"{pipeline['madeByTagValue']}-2026-12-0{len(STATE['builds']) + 1}T06-00-00Z-{label}"
    for region in REGIONS:
        ec2 = client("ec2", region)
        ami = image(ec2, name, base_image(region))
        for account, ids in copies.items():
            copy_ec2 = client("ec2", region, account)
            ids[region] = image(copy_ec2, name, copy_ec2.describe_images(
                Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"])
        ec2.create_tags(Resources=[ami], Tags=[{"Key": "project", "Value": "fractal-gpu-host"},
                                              {"Key": RELEASE["madeByTagKey"], "Value": pipeline["madeByTagValue"]},
                                              {"Key": RELEASE["driverSha256TagKey"], "Value": DRIVER_SHA256}])
        if launch_permissions():
            ec2.modify_image_attribute(ImageId=ami, LaunchPermission={"Add": launch_permissions()})
        client("ssm", region).put_parameter(Name=pipeline["latestAmiId"], Value=ami, Type="String",
                                            DataType="aws:ec2:image", Overwrite=True)
        amis[region] = ami
    STATE["builds"][label] = amis
    STATE.setdefault("copies", {})[label] = copies
    save()


def base_image(region):
    """An image moto ships, to launch the build instance from; looked up once per region (moto lists every
    image it ships to answer), then kept in the state."""
    bases = STATE.setdefault("bases", {})
    if region not in bases:
        bases[region] = client("ec2", region).describe_images(Owners=["amazon"], MaxResults=5)["Images"][0]["ImageId"]
    return bases[region]


def ami(label, region):
    print(STATE["builds"][label][region])


def deregister(label, region):
    client("ec2", region).deregister_image(ImageId=STATE["builds"][label][region])


def fill_history(name, region, account=None):
    ssm = client("ssm", region, account)
    current = ssm.get_parameter(Name=name)["Parameter"]
    history = ssm.get_parameter_history(Name=name, MaxResults=50)
    for _ in range(100 - current["Version"]):
        ssm.put_parameter(Name=name, Value=current["Value"], Type="String", DataType="aws:ec2:image", Overwrite=True,
                          Description="filler")
    oldest = min(p["Version"] for p in history["Parameters"])
    ssm.label_parameter_version(Name=name, ParameterVersion=oldest, Labels=["first-release"])


def topic():
    region = SETTINGS["buildRegion"]
    arn = client("sns", region).create_topic(Name="fractal-gpu-host-builds")["TopicArn"]
    sqs = client("sqs", region)
    queue = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    client("sns", region).subscribe(TopicArn=arn, Protocol="sqs", Endpoint=queue_arn)
    client("ssm", region).put_parameter(Name=RELEASE["notificationTopicArnSsmName"], Value=arn, Type="String")


def channel(name, account=None):
    labels = []
    for region in REGIONS:
        ssm = client("ssm", region, account)
        try:
            labels.append(label_of(region, ssm.get_parameter(Name=name)["Parameter"]["Value"], account))
        except ssm.exceptions.ParameterNotFound:
            labels.append("-")
    print(" ".join(labels))


def organization():
    orgs = client("organizations", "us-east-1")
    orgs.create_organization(FeatureSet="ALL")
    root = orgs.list_roots()["Roots"][0]["Id"]
    STATE["org"] = {"ous": [], "accounts": []}
    for name in ("prod", "staging"):
        unit = orgs.create_organizational_unit(ParentId=root, Name=name)["OrganizationalUnit"]
        status = orgs.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
        orgs.move_account(AccountId=status["AccountId"], SourceParentId=root, DestinationParentId=unit["Id"])
        STATE["org"]["ous"].append(unit["Arn"])
        STATE["org"]["accounts"].append(status["AccountId"])
    STATE["org"]["copies"] = [orgs.create_account(Email="copies@example.com", AccountName="copies")[
        "CreateAccountStatus"]["AccountId"]]
    save()
    for field in ("ous", "accounts", "copies"):
        print(" ".join(STATE["org"][field]))


def put(name, region, account, label):
    client("ssm", region, account).put_parameter(Name=name, Value=STATE["builds"][label][region], Type="String",
                                                 DataType="aws:ec2:image", Overwrite=True,
                                                 Description="changed by hand")


def unshare(label, region, unit):
    client("ec2", region).modify_image_attribute(ImageId=STATE["builds"][label][region], LaunchPermission={
        "Remove": [{"OrganizationalUnitArn": unit}]})


def tagged_images(region, amis, key):
    """Of the AMIs that still exist in the region, those whose image and snapshots all carry tag KEY: one
    DescribeImages and one DescribeTags for all builds at once, where moto scanned every image it holds for
    each build's filter."""
    if not amis:
        return set()
    ec2 = client("ec2", region)
    images = ec2.describe_images(Filters=[{"Name": "image-id", "Values": amis}])["Images"]
    ids = {i["ImageId"]: [i["ImageId"]] + [m["Ebs"]["SnapshotId"] for m in i["BlockDeviceMappings"] if "Ebs" in m]
           for i in images}
    if not ids:
        return set()
    tagged = {t["ResourceId"] for page in ec2.get_paginator("describe_tags").paginate(Filters=[
        {"Name": "resource-id", "Values": [r for resources in ids.values() for r in resources]},
        {"Name": "key", "Values": [key]}]) for t in page["Tags"]}
    return {ami for ami, resources in ids.items() if tagged.issuperset(resources)}


def held(key):
    result = []
    in_region = {region: tagged_images(region, [amis[region] for amis in STATE["builds"].values() if region in amis],
                                       key) for region in REGIONS}
    for label, amis in STATE["builds"].items():
        tagged = sum(ami in in_region[region] for region, ami in amis.items())
        if tagged == len(amis):
            result.append(label)
        elif tagged:
            result.append(label + "?")
    print(" ".join(result) or "-")


def state(first_channel, second_channel, first_key, second_key):
    channel(first_channel)
    channel(second_channel)
    held(first_key)
    held(second_key)


def announced():
    sqs = client("sqs", SETTINGS["buildRegion"])
    queue = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    messages = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
    for message in messages:
        print(json.loads(message["Body"])["Subject"])
        sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])


COMMANDS = {"build": build, "ami": ami, "deregister": deregister, "fill-history": fill_history, "topic": topic,
            "channel": channel, "held": held, "state": state, "announced": announced, "organization": organization,
            "put": put, "unshare": unshare}

END_OF_ANSWER = "\x1e"


def serve():
    for request in sys.stdin:
        command, *args = request.rstrip("\n").split("\t")
        status = 0
        try:
            if command not in COMMANDS:
                sys.exit(f"unknown command {command!r}")
            COMMANDS[command](*args)
        except (Exception, SystemExit):  # noqa: B902 # the test reports it; the next question still gets an answer
            traceback.print_exc()
            status = 1
        print(f"{END_OF_ANSWER}{status}", flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[3] == "serve":
        serve()
    elif len(sys.argv) < 4 or sys.argv[3] not in COMMANDS:
        sys.exit(__doc__)
    else:
        COMMANDS[sys.argv[3]](*sys.argv[4:])
