#!/usr/bin/env python3
"""What the emulator holds, read in one process: the deploy test's checks read this JSON with jq.

Usage: emulator_facts.py OUT REGION... [--accounts ACCOUNT,... --role ROLE]

One AWS CLI process per check costs about a second (Python start, botocore's models); one process that asks
every question through botocore, which the AWS CLI ships, costs that once. The answers are the APIs' own,
unchanged, so each check still compares what the emulator holds with what the settings promise:

  {"regions": {REGION: {"stacks": {NAME: {"status", "outputs": {KEY: VALUE},
                                          "resources": {TYPE: [PHYSICAL_ID]}, "template": {...}}},
                        "vpcs": [...], "securityGroups": [...], "subnets": [...], "instances": [...], "volumes": [...],
                        "launchTemplates": {ID: LATEST_VERSION_DATA},
                        "parameters": {NAME: VALUE}, "parameterTags": {NAME: {KEY: VALUE}}}},
   "iam": {"instanceProfiles": {NAME: {...}}, "roles": {NAME: {"role", "policies": {NAME: DOCUMENT}}}}}

A deleted stack is left out, as DescribeStacks by name does not find one. Endpoint and credentials come
from the environment (scripts/lib/emulator.sh sets them), as for the AWS CLI. With --accounts, the same is
read in each ACCOUNT through the role ROLE assumed there (moto acts in the account of assumed-role
credentials, as AWS does), as {"accounts": {ACCOUNT: {"regions": ..., "iam": ...}}}. An inline policy that
moto keeps as the repr of a Python dict (one that a StackSet's CloudFormation created) is read as that dict.
"""
import argparse
import ast
import json

import botocore.session


def pages(client, operation, key, **kwargs):
    for page in client.get_paginator(operation).paginate(**kwargs):
        yield from page[key]


def parsed_template(body):
    """A JSON template as an object (the CDK's); another (the bootstrap stack's YAML) as its text."""
    if not isinstance(body, str):
        return body
    try:
        return json.loads(body)
    except ValueError:
        return body


def policy_document(document):
    return ast.literal_eval(document) if isinstance(document, str) else document


def region_facts(session, region, credentials):
    cloudformation = session.create_client("cloudformation", region_name=region, **credentials)
    ec2 = session.create_client("ec2", region_name=region, **credentials)
    ssm = session.create_client("ssm", region_name=region, **credentials)
    stacks = {}
    for stack in pages(cloudformation, "describe_stacks", "Stacks"):
        if stack["StackStatus"] == "DELETE_COMPLETE":
            continue
        name = stack["StackName"]
        resources = {}
        for resource in cloudformation.describe_stack_resources(StackName=name)["StackResources"]:
            if "ResourceType" in resource:  # moto lists some resources it did not create without one
                resources.setdefault(resource["ResourceType"], []).append(resource.get("PhysicalResourceId"))
        stacks[name] = {
            "status": stack["StackStatus"],
            "outputs": {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])},
            "resources": resources,
            "template": parsed_template(cloudformation.get_template(StackName=name)["TemplateBody"]),
        }
    launch_templates = {}
    for template in pages(ec2, "describe_launch_templates", "LaunchTemplates"):
        versions = ec2.describe_launch_template_versions(
            LaunchTemplateId=template["LaunchTemplateId"], Versions=["$Latest"])["LaunchTemplateVersions"]
        launch_templates[template["LaunchTemplateId"]] = versions[0]["LaunchTemplateData"]
    parameters = {p["Name"]: p["Value"] for p in pages(ssm, "get_parameters_by_path", "Parameters",
                                                        Path="/", Recursive=True)}
    return {
        "stacks": stacks,
        "vpcs": list(pages(ec2, "describe_vpcs", "Vpcs")),
        "securityGroups": list(pages(ec2, "describe_security_groups", "SecurityGroups")),
        "subnets": list(pages(ec2, "describe_subnets", "Subnets")),
        "instances": [i for r in pages(ec2, "describe_instances", "Reservations") for i in r["Instances"]],
        "volumes": list(pages(ec2, "describe_volumes", "Volumes")),
        "launchTemplates": launch_templates,
        "parameters": parameters,
        "parameterTags": {
            name: {t["Key"]: t["Value"] for t in
                   ssm.list_tags_for_resource(ResourceType="Parameter", ResourceId=name).get("TagList", [])}
            for name in parameters},
    }


def iam_facts(session, credentials):
    iam = session.create_client("iam", region_name="us-east-1", **credentials)
    roles = {}
    for role in pages(iam, "list_roles", "Roles"):
        name = role["RoleName"]
        roles[name] = {
            "role": iam.get_role(RoleName=name)["Role"],
            "policies": {p: policy_document(iam.get_role_policy(RoleName=name, PolicyName=p)["PolicyDocument"])
                         for p in pages(iam, "list_role_policies", "PolicyNames", RoleName=name)},
        }
    return {
        "instanceProfiles": {p["InstanceProfileName"]: p
                             for p in pages(iam, "list_instance_profiles", "InstanceProfiles")},
        "roles": roles,
    }


def account_facts(session, regions, credentials):
    return {"regions": {region: region_facts(session, region, credentials) for region in regions},
            "iam": iam_facts(session, credentials)}


def assumed(session, account, role):
    """Credentials of ROLE assumed in ACCOUNT, as the client arguments that use them."""
    credentials = session.create_client("sts", region_name="us-east-1").assume_role(
        RoleArn=f"arn:aws:iam::{account}:role/{role}", RoleSessionName="emulator-facts")["Credentials"]
    return {"aws_access_key_id": credentials["AccessKeyId"], "aws_secret_access_key": credentials["SecretAccessKey"],
            "aws_session_token": credentials["SessionToken"]}


def main():
    parser = argparse.ArgumentParser(description="What the emulator holds, as JSON in OUT.")
    parser.add_argument("out")
    parser.add_argument("regions", nargs="+")
    parser.add_argument("--accounts", help="comma-separated accounts to read through ROLE")
    parser.add_argument("--role", help="the role assumed in each account of --accounts")
    args = parser.parse_args()
    if bool(args.accounts) != bool(args.role):
        parser.error("--accounts and --role go together")
    session = botocore.session.get_session()
    if args.accounts:
        facts = {"accounts": {account: account_facts(session, args.regions, assumed(session, account, args.role))
                              for account in args.accounts.split(",")}}
    else:
        facts = account_facts(session, args.regions, {})
    with open(args.out, "w") as file:
        json.dump(facts, file, default=str)


if __name__ == "__main__":
    main()
