package com.fractal.gpuhost.image;

import com.fractal.gpuhost.settings.ResourceNames;
import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * The driver mirror: the project's own copy of each qualified GRID runfile (`npm run drivers -- qualify`
 * writes it), the only place builds and dev instances download a driver from, so a file AWS changes or
 * removes upstream never changes an image. Named as the drivers command computes it
 * ({@link ResourceNames#driverMirrorBucket}); versioned, SSE-KMS, TLS only, never public, retained when
 * the stack goes, and its access logged into a small bucket of its own.
 *
 * <p>The runfiles are public bytes, so the mirror uses S3's AWS-managed key: encryption at rest without a
 * key policy to keep in step, and every role of the account that may read an object can decrypt it through
 * S3, in any region. Access logs need SSE-S3: S3's log delivery cannot write into an SSE-KMS bucket.
 */
public final class DriverMirror extends Construct {
    /** Where S3 writes the mirror's access logs, inside the access-log bucket. */
    static final String ACCESS_LOG_PREFIX = "driver-mirror/";
    private static final int ACCESS_LOG_RETENTION_DAYS = 365;
    private static final String ACCESS_LOGS_BY_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy";

    private final Bucket bucket;
    private final Bucket accessLogs;

    public DriverMirror(final Construct scope, final String id) {
        super(scope, id);
        // Log delivery is granted by bucket policy, not by the legacy ACL that owner-enforced buckets refuse.
        getNode().setContext(ACCESS_LOGS_BY_POLICY, true);
        accessLogs = PrivateBuckets.builder(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("ExpireOldAccessLogs")
                        .expiration(Duration.days(ACCESS_LOG_RETENTION_DAYS))
                        .noncurrentVersionExpiration(Duration.days(ACCESS_LOG_RETENTION_DAYS))
                        .build()))
                .build();
        bucket = PrivateBuckets.builder(this, "Bucket")
                .bucketName(ResourceNames.driverMirrorBucket(Aws.ACCOUNT_ID, Stack.of(this).getRegion()))
                .encryption(BucketEncryption.KMS_MANAGED)
                .bucketKeyEnabled(true)
                // Only failed copies expire: a qualified runfile, and every version of it, stays.
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("AbortIncompleteCopies")
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                .serverAccessLogsBucket(accessLogs)
                .serverAccessLogsPrefix(ACCESS_LOG_PREFIX)
                .build();
    }

    public Bucket bucket() {
        return bucket;
    }

    public Bucket accessLogs() {
        return accessLogs;
    }

    /** The mirror's name in the build account and region, for stacks other than the pipeline's. */
    public static String bucketName(final String buildRegion) {
        return ResourceNames.driverMirrorBucket(Aws.ACCOUNT_ID, buildRegion);
    }
}
