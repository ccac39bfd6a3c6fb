package com.fractal.gpuhost.image;

import com.fractal.gpuhost.ProjectKeys;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Where build and test instances write their AWSTOE logs and the image's version manifest: encrypted with a
 * key of its own (SSE-KMS), versioned, TLS only, never public, old logs expired.
 */
public final class BuildLogs extends Construct {
    public static final String PREFIX = "image-builds";

    private final Key key;
    private final Bucket bucket;

    public BuildLogs(final Construct scope, final String id, final int retentionDays) {
        super(scope, id);
        key = ProjectKeys.create(this, "Key", "Encrypts the GPU host image build logs and version manifests");
        bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                // An overwritten or deleted log stays recoverable until the lifecycle rule expires it.
                .versioned(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("ExpireOldBuildLogs")
                        .expiration(Duration.days(retentionDays))
                        .noncurrentVersionExpiration(Duration.days(retentionDays))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                // Build logs are evidence for audits: a stack deletion must not take them along.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    /** Writers need kms:GenerateDataKey (and kms:Decrypt for multipart uploads) on this key. */
    public Key key() {
        return key;
    }

    public Bucket bucket() {
        return bucket;
    }
}
