package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ProjectKeys;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The SNS topic Image Builder announces each build's outcome on, encrypted with a key of its own that
 * Image Builder's service-linked role may use (an AWS-managed key cannot be granted to it).
 */
public final class BuildNotifications extends Construct {
    private final Topic topic;

    public BuildNotifications(final Construct scope, final String id) {
        super(scope, id);
        Key key = ProjectKeys.create(this, "Key", "Encrypts the GPU host image build notifications");
        // The service-linked role may not exist yet when this deploys, so it is matched by condition, not
        // named as a principal (a key policy naming a missing role fails to deploy).
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("ImageBuilderPublishesBuildNotifications")
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
                .resources(List.of("*"))
                .conditions(conditions())
                .build());
        topic = Topic.Builder.create(this, "Topic")
                .displayName("GPU host image builds")
                .masterKey(key)
                .enforceSsl(true)
                .build();
    }

    /** The caller's account, then the role; ordered, as Map.of's order changes between JVMs. */
    private static Map<String, Object> conditions() {
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("StringEquals", Map.of("kms:CallerAccount", Aws.ACCOUNT_ID));
        conditions.put("ArnEquals", Map.of("aws:PrincipalArn", "arn:" + Aws.PARTITION + ":iam::" + Aws.ACCOUNT_ID
                + ":role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder"));
        return conditions;
    }

    public Topic topic() {
        return topic;
    }
}
