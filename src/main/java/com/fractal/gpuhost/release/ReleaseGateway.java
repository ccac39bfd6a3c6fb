package com.fractal.gpuhost.release;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS calls a release makes, one region at a time, so the all-or-nothing logic can be tested with an
 * in-memory fake. Every method throws {@link GatewayException} (one line, no stack trace) when AWS refuses
 * or cannot be reached.
 */
public interface ReleaseGateway {

    /** An AMI as the release checks see it. */
    record Image(String id, String name, String state, String creationDate, Map<String, String> tags,
            List<String> snapshotIds) {
        public Image {
            tags = Map.copyOf(tags);
            snapshotIds = List.copyOf(snapshotIds);
        }
    }

    /** One version of a parameter, oldest first in a history. */
    record Version(long version, String value, String description) {
    }

    /** A parameter's current value; empty when it does not exist. */
    Optional<String> parameter(String region, String name);

    /** Every version of a parameter, oldest first; empty when it does not exist. */
    List<Version> history(String region, String name);

    /** Writes an AMI ID (data type aws:ec2:image) as the parameter's new version. */
    void putImageParameter(String region, String name, String amiId, String description);

    /** Deletes a parameter (to put back a channel whose first promotion failed elsewhere). */
    void deleteParameter(String region, String name);

    /** The AMIs among these IDs that exist in the region; missing ones are simply absent. */
    Map<String, Image> images(String region, Collection<String> amiIds);

    /**
     * Whom an AMI is shared with, each as {@code UserId:<account>}, {@code OrganizationArn:<arn>},
     * {@code OrganizationalUnitArn:<arn>} or {@code Group:all}: what lets another account launch it.
     */
    Set<String> launchPermissions(String region, String amiId);

    /** The AMI of that name that this account owns, if any: the copy Image Builder made for a copy account. */
    Optional<Image> ownImage(String region, String name);

    void tag(String region, Collection<String> resourceIds, String key, String value);

    void untag(String region, Collection<String> resourceIds, String key);

    void publish(String region, String topicArn, String subject, String message);

    /** A failed AWS call, said in one line. */
    class GatewayException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public GatewayException(final String message) {
            super(message);
        }
    }
}
