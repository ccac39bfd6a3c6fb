package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ProjectKeys;
import java.util.LinkedHashMap;
import com.fractal.gpuhost.settings.NotificationSettings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.chatbot.SlackChannelConfiguration;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.amazon.awscdk.services.ssm.StringParameter;
import software.constructs.Construct;

/**
 * The SNS topic Image Builder announces each build's outcome on, and the release command each promotion
 * and rollback, encrypted with a key of its own that Image Builder's service-linked role may use (an
 * AWS-managed key cannot be granted to it). Its subscribers: the configured e-mail addresses and, when
 * configured, a Slack channel through AWS Chatbot. The topic's ARN goes to SSM for the release command.
 */
public final class BuildNotifications extends Construct {
    private final Topic topic;
    private final Optional<SlackChannelConfiguration> slack;

    public BuildNotifications(final Construct scope, final String id, final String topicName,
            final NotificationSettings settings, final String topicArnParameter) {
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
                .topicName(topicName)
                .displayName("GPU host image builds and releases")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // Each address confirms its subscription once, from the e-mail SNS sends it.
        settings.emails().forEach(email -> topic.addSubscription(new EmailSubscription(email)));
        slack = settings.slack().map(channel -> SlackChannelConfiguration.Builder.create(this, "Slack")
                .slackChannelConfigurationName(topicName)
                .slackWorkspaceId(channel.workspaceId())
                .slackChannelId(channel.channelId())
                .notificationTopics(List.of(topic))
                // Chatbot only posts; the guardrail keeps commands typed in the channel read-only.
                .guardrailPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("ReadOnlyAccess")))
                .build());
        StringParameter.Builder.create(this, "TopicArnParameter")
                .parameterName(topicArnParameter)
                .description("ARN of the GPU host build topic; the release command publishes promotions and rollbacks")
                .stringValue(topic.getTopicArn())
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

    public Optional<SlackChannelConfiguration> slack() {
        return slack;
    }
}
