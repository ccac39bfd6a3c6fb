package com.fractal.gpuhost.release;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ImageAttributeName;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The release gateway on the AWS SDK for Java v2: the default credential chain (or, in a workload account,
 * the credentials of the role assumed there), one client per service and region, and AWS_ENDPOINT_URL (read
 * by the SDK itself) for an emulator. The JDK's URL connection client keeps Netty and Apache HTTP off the
 * classpath the CDK app shares.
 */
public final class AwsReleaseGateway implements ReleaseGateway {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    static final SdkHttpClient HTTP = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30))
            .build();

    private final SdkHttpClient http = HTTP;
    /** Empty for the build account's own credentials. */
    private final Optional<AwsCredentialsProvider> credentials;
    /** Starts every error message: empty in the build account, "<account> " in a workload account. */
    private final String where;

    /** The build account, through the default credential chain. */
    public AwsReleaseGateway() {
        this(Optional.empty(), "");
    }

    /** A workload account, through credentials of a role assumed there. */
    AwsReleaseGateway(final Optional<AwsCredentialsProvider> credentials, final String where) {
        this.credentials = credentials;
        this.where = where;
    }
    private final Map<String, SsmClient> ssm = new ConcurrentHashMap<>();
    private final Map<String, Ec2Client> ec2 = new ConcurrentHashMap<>();
    private final Map<String, SnsClient> sns = new ConcurrentHashMap<>();

    @Override
    public Optional<String> parameter(final String region, final String name) {
        return call(region, "reading " + name, () -> {
            try {
                return Optional.of(ssm(region).getParameter(r -> r.name(name)).parameter().value());
            } catch (ParameterNotFoundException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public List<Version> history(final String region, final String name) {
        return call(region, "reading the history of " + name, () -> {
            List<Version> versions = new ArrayList<>();
            try {
                ssm(region).getParameterHistoryPaginator(r -> r.name(name).maxResults(50)).forEach(page -> page
                        .parameters().forEach(p -> versions.add(new Version(p.version(), p.value(), p.description()))));
            } catch (ParameterNotFoundException e) {
                return List.<Version>of();
            }
            versions.sort((a, b) -> Long.compare(a.version(), b.version()));
            return versions;
        });
    }

    @Override
    public void putImageParameter(final String region, final String name, final String amiId,
            final String description) {
        call(region, "writing " + name, () -> ssm(region).putParameter(r -> r.name(name).value(amiId)
                .type(ParameterType.STRING).dataType("aws:ec2:image").overwrite(true).description(description)));
    }

    @Override
    public void deleteParameter(final String region, final String name) {
        call(region, "deleting " + name, () -> ssm(region).deleteParameter(r -> r.name(name)));
    }

    @Override
    public Map<String, Image> images(final String region, final Collection<String> amiIds) {
        if (amiIds.isEmpty()) {
            return Map.of();
        }
        // A filter, not ImageIds: an ID that no longer exists is then simply absent instead of an error.
        return call(region, "describing " + String.join(", ", amiIds), () -> {
            Map<String, Image> images = new LinkedHashMap<>();
            ec2(region).describeImages(r -> r.filters(Filter.builder().name("image-id").values(amiIds).build()))
                    .images().forEach(image -> images.put(image.imageId(), image(image)));
            return images;
        });
    }

    private static Image image(final software.amazon.awssdk.services.ec2.model.Image image) {
        Map<String, String> tags = new LinkedHashMap<>();
        image.tags().forEach(tag -> tags.put(tag.key(), tag.value()));
        List<String> snapshots = image.blockDeviceMappings().stream()
                .map(BlockDeviceMapping::ebs).filter(ebs -> ebs != null && ebs.snapshotId() != null)
                .map(ebs -> ebs.snapshotId()).toList();
        return new Image(image.imageId(), image.name(), image.stateAsString(), String.valueOf(image.creationDate()),
                tags, snapshots);
    }

    @Override
    public Set<String> launchPermissions(final String region, final String amiId) {
        return call(region, "reading the launch permissions of " + amiId, () -> {
            Set<String> permissions = new LinkedHashSet<>();
            ec2(region).describeImageAttribute(r -> r.imageId(amiId).attribute(ImageAttributeName.LAUNCH_PERMISSION))
                    .launchPermissions().forEach(permission -> {
                        if (permission.userId() != null) {
                            permissions.add("UserId:" + permission.userId());
                        }
                        if (permission.organizationArn() != null) {
                            permissions.add("OrganizationArn:" + permission.organizationArn());
                        }
                        if (permission.organizationalUnitArn() != null) {
                            permissions.add("OrganizationalUnitArn:" + permission.organizationalUnitArn());
                        }
                        if (permission.group() != null) {
                            permissions.add("Group:" + permission.groupAsString());
                        }
                    });
            return permissions;
        });
    }

    @Override
    public Optional<Image> ownImage(final String region, final String name) {
        return call(region, "looking up the account's own " + name, () -> ec2(region).describeImages(r -> r
                .owners("self").filters(Filter.builder().name("name").values(name).build())).images().stream()
                .findFirst().map(AwsReleaseGateway::image));
    }

    @Override
    public void tag(final String region, final Collection<String> resourceIds, final String key, final String value) {
        call(region, "tagging " + String.join(", ", resourceIds), () -> ec2(region).createTags(r -> r
                .resources(resourceIds).tags(Tag.builder().key(key).value(value).build())));
    }

    @Override
    public void untag(final String region, final Collection<String> resourceIds, final String key) {
        call(region, "untagging " + String.join(", ", resourceIds), () -> ec2(region).deleteTags(r -> r
                .resources(resourceIds).tags(Tag.builder().key(key).build())));
    }

    @Override
    public void publish(final String region, final String topicArn, final String subject, final String message) {
        call(region, "publishing to " + topicArn, () -> sns(region).publish(r -> r.topicArn(topicArn)
                .subject(subject.length() > 100 ? subject.substring(0, 100) : subject).message(message)));
    }

    private SsmClient ssm(final String region) {
        return ssm.computeIfAbsent(region, r -> {
            var builder = SsmClient.builder().region(Region.of(r)).httpClient(http).overrideConfiguration(overrides());
            credentials.ifPresent(builder::credentialsProvider);
            return builder.build();
        });
    }

    private Ec2Client ec2(final String region) {
        return ec2.computeIfAbsent(region, r -> {
            var builder = Ec2Client.builder().region(Region.of(r)).httpClient(http).overrideConfiguration(overrides());
            credentials.ifPresent(builder::credentialsProvider);
            return builder.build();
        });
    }

    private SnsClient sns(final String region) {
        return sns.computeIfAbsent(region, r -> {
            var builder = SnsClient.builder().region(Region.of(r)).httpClient(http).overrideConfiguration(overrides());
            credentials.ifPresent(builder::credentialsProvider);
            return builder.build();
        });
    }

    private static ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().apiCallTimeout(CALL_TIMEOUT).build();
    }

    /**
     * Runs one call; AWS's refusals and unreachable endpoints become one line naming the account (a workload
     * account's), the region and the call.
     */
    private <T> T call(final String region, final String what, final Supplier<T> action) {
        return attempt(where + region, what, action);
    }

    /** Runs one call made at {@code where} (a region, or an account and a region), said in one line when it fails. */
    static <T> T attempt(final String where, final String what, final Supplier<T> action) {
        try {
            return action.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new GatewayException(where + ": " + what + ": " + code + ": " + firstLine(message));
        } catch (SdkClientException e) {
            throw new GatewayException(where + ": " + what + ": " + clientProblem(e));
        }
    }

    private static String clientProblem(final SdkClientException e) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("Unable to load credentials")) {
            return "no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or sign in "
                    + "with aws sso login)";
        }
        if (message.contains("Unable to execute HTTP request")) {
            String endpoint = System.getenv("AWS_ENDPOINT_URL");
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return "cannot reach AWS" + (endpoint == null ? "" : " at " + endpoint) + " ("
                    + firstLine(String.valueOf(cause.getMessage())) + ")";
        }
        return firstLine(message);
    }

    private static String firstLine(final String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").trim();
    }
}
