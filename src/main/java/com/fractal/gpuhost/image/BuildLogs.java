package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ProjectKeys;
import java.util.List;
import java.util.Locale;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * Where build and test instances write their AWSTOE logs and the image's version manifest: encrypted with a
 * key of its own (SSE-KMS), versioned, TLS only, never public, old logs expired.
 */
public final class BuildLogs extends Construct {
    public static final String PREFIX = "image-builds";
    /** The validate component uploads each image's version manifest to manifests/<image name>/<version>.json. */
    public static final String MANIFESTS_PREFIX = "manifests";

    private final Key key;
    private final Bucket bucket;

    public BuildLogs(final Construct scope, final String id, final int retentionDays) {
        super(scope, id);
        key = ProjectKeys.create(this, "Key", "Encrypts the GPU host image build logs and version manifests");
        bucket = PrivateBuckets.builder(this, "Bucket")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("ExpireOldBuildLogs")
                        .expiration(Duration.days(retentionDays))
                        .noncurrentVersionExpiration(Duration.days(retentionDays))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                .build();
    }

    /** Writers need kms:GenerateDataKey (and kms:Decrypt for multipart uploads) on this key. */
    public Key key() {
        return key;
    }

    public Bucket bucket() {
        return bucket;
    }

    /** The construct ID the pipeline stack gives this construct: part of the bucket's generated name. */
    public static final String ID = "BuildLogs";

    /**
     * The manifests in the log bucket of the stack {@code stackName}, as an ARN pattern for roles outside that
     * stack: the bucket has no fixed name, and CloudFormation names it {@code <stack>-<logical ID>-<random>} in
     * lower case, the logical ID starting with this construct's path ({@code BuildLogsBucket<hash>}).
     */
    public static String manifestObjectsPattern(final String partition, final String stackName) {
        return bucketPattern(partition, stackName) + "/" + MANIFESTS_PREFIX + "/*";
    }

    /** The log bucket itself, as {@link #manifestObjectsPattern} names it; with a bucket key, its KMS context. */
    public static String bucketPattern(final String partition, final String stackName) {
        return "arn:" + partition + ":s3:::" + (stackName + "-" + ID + "Bucket").toLowerCase(Locale.ROOT) + "*";
    }
}
