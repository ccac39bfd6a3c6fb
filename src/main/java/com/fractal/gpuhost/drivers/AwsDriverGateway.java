package com.fractal.gpuhost.drivers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The drivers gateway on the AWS SDK for Java v2. AWS's driver bucket is read anonymously (it is public);
 * the mirror and STS use the default credential chain. AWS_ENDPOINT_URL (read by the SDK itself) points
 * both at an emulator; then S3 is addressed path-style, since a loopback address has no bucket subdomains.
 * The JDK's URL connection client keeps Netty and Apache HTTP off the classpath the CDK app shares.
 */
public final class AwsDriverGateway implements DriverGateway {
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);
    private static final int BUFFER_BYTES = 1024 * 1024;

    private final SdkHttpClient http = UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(SOCKET_TIMEOUT).build();
    private final S3Client upstream;
    private final S3Client mirror;
    private final StsClient sts;

    public AwsDriverGateway(final UpstreamBucket bucket) {
        boolean emulator = System.getenv("AWS_ENDPOINT_URL") != null || System.getenv("AWS_ENDPOINT_URL_S3") != null;
        upstream = S3Client.builder().region(Region.of(bucket.region())).httpClient(http).forcePathStyle(emulator)
                .credentialsProvider(AnonymousCredentialsProvider.create()).build();
        Region home = callerRegion().orElse(Region.of(bucket.region()));
        // The mirror lives in the build region, which may differ from the caller's: follow S3's redirect.
        mirror = S3Client.builder().region(home).httpClient(http).forcePathStyle(emulator)
                .crossRegionAccessEnabled(true).build();
        sts = StsClient.builder().region(home).httpClient(http).build();
    }

    @Override
    public List<StoredObject> listUpstream(final String bucket) {
        return call("listing s3://" + bucket, () -> {
            List<StoredObject> objects = new ArrayList<>();
            upstream.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().forEach(object -> objects.add(
                    new StoredObject(object.key(), object.size(), object.eTag(), Map.of())));
            return objects;
        });
    }

    @Override
    public Optional<StoredObject> headUpstream(final String bucket, final String key) {
        return head(upstream, bucket, key);
    }

    @Override
    public void downloadUpstream(final String bucket, final String key, final Path file, final LongConsumer progress) {
        call("downloading s3://" + bucket + "/" + key, () -> {
            try (InputStream in = upstream.getObject(r -> r.bucket(bucket).key(key));
                    OutputStream target = Files.newOutputStream(file)) {
                copy(in, target, progress);
            } catch (IOException e) {
                throw SdkClientException.create("download interrupted (" + e.getMessage() + ")", e);
            }
            return null;
        });
    }

    @Override
    public String account() {
        return call("asking STS for the account", () -> sts.getCallerIdentity().account());
    }

    @Override
    public boolean mirrorExists(final String bucket) {
        return call("reading s3://" + bucket, () -> {
            try {
                mirror.headBucket(r -> r.bucket(bucket));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 404 || e.statusCode() == 403) {
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<StoredObject> headMirror(final String bucket, final String key) {
        return head(mirror, bucket, key);
    }

    @Override
    public StoredObject putMirror(final String bucket, final String key, final Path file, final String sha256Hex,
            final Map<String, String> metadata, final LongConsumer progress) {
        return call("writing s3://" + bucket + "/" + key, () -> {
            long size = file.toFile().length();
            RequestBody body = RequestBody.fromContentProvider(() -> {
                try {
                    return new CountingInputStream(Files.newInputStream(file), progress);
                } catch (IOException e) {
                    throw SdkClientException.create("cannot read " + file + " (" + e.getMessage() + ")", e);
                }
            }, size, "application/octet-stream");
            String checksum = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256Hex));
            String etag = mirror.putObject(r -> r.bucket(bucket).key(key).metadata(metadata).checksumSHA256(checksum),
                    body).eTag();
            return new StoredObject(key, size, etag, metadata);
        });
    }

    private static Optional<StoredObject> head(final S3Client s3, final String bucket, final String key) {
        return call("reading s3://" + bucket + "/" + key, () -> {
            try {
                var head = s3.headObject(r -> r.bucket(bucket).key(key));
                return Optional.of(new StoredObject(key, head.contentLength(), head.eTag(), head.metadata()));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    private static void copy(final InputStream in, final OutputStream out, final LongConsumer progress)
            throws IOException {
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
            out.write(buffer, 0, read);
            total += read;
            progress.accept(total);
        }
    }

    private static Optional<Region> callerRegion() {
        try {
            return Optional.of(DefaultAwsRegionProviderChain.builder().build().getRegion());
        } catch (SdkClientException e) {
            return Optional.empty();
        }
    }

    /** Runs one call; AWS's refusals and unreachable endpoints become one line naming the call. */
    private static <T> T call(final String what, final Supplier<T> action) {
        try {
            return action.get();
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null
                    ? "HTTP " + e.statusCode() : e.awsErrorDetails().errorCode();
            String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                    ? e.getMessage() : e.awsErrorDetails().errorMessage();
            throw new DriverGatewayException(what + ": " + code + ": " + firstLine(message));
        } catch (SdkClientException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Unable to load credentials")) {
                message = "no AWS credentials (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or sign "
                        + "in with aws sso login)";
            } else if (message.contains("Unable to execute HTTP request")) {
                String endpoint = System.getenv("AWS_ENDPOINT_URL");
                Throwable cause = e.getCause() == null ? e : e.getCause();
                message = "cannot reach AWS" + (endpoint == null ? "" : " at " + endpoint) + " ("
                        + firstLine(String.valueOf(cause.getMessage())) + ")";
            }
            throw new DriverGatewayException(what + ": " + firstLine(message));
        }
    }

    private static String firstLine(final String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").trim();
    }

    /** Reports the bytes read so far, for the upload's progress line. */
    private static final class CountingInputStream extends java.io.FilterInputStream {
        private final LongConsumer progress;
        private long count;

        CountingInputStream(final InputStream in, final LongConsumer progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.accept(++count);
            }
            return b;
        }

        @Override
        public int read(final byte[] buffer, final int offset, final int length) throws IOException {
            int read = super.read(buffer, offset, length);
            if (read > 0) {
                count += read;
                progress.accept(count);
            }
            return read;
        }
    }
}
