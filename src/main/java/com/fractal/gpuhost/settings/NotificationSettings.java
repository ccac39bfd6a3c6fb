package com.fractal.gpuhost.settings;

import java.util.List;
import java.util.Optional;

/**
 * Who hears of builds, promotions and rollbacks: e-mail subscribers of the build topic and, optionally,
 * one Slack channel through AWS Chatbot.
 *
 * @param emails e-mail addresses subscribed to the topic (each confirms its subscription once)
 * @param slack  the Slack workspace and channel, when both are given
 */
public record NotificationSettings(List<String> emails, Optional<SlackChannel> slack) {
    public NotificationSettings {
        emails = List.copyOf(emails);
    }

    /**
     * @param workspaceId the Slack workspace (team) ID, authorised once in the AWS Chatbot console
     * @param channelId   the Slack channel ID
     */
    public record SlackChannel(String workspaceId, String channelId) {
    }
}
