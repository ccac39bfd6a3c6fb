package com.fractal.gpuhost.image;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * Where build and test instances write their AWSTOE logs and the image's version manifest: encrypted,
 * TLS only, never public, old logs expired.
 */
public final class BuildLogs extends Construct {
    public static final String PREFIX = "image-builds";
    /** The validate component uploads each image's version manifest to manifests/<image name>/<version>.json. */
    public static final String MANIFESTS_PREFIX = "manifests";

    private final Bucket bucket;

    public BuildLogs(final Construct scope, final String id, final int retentionDays) {
        super(scope, id);
        bucket = Bucket.Builder.create(this, "Bucket")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("ExpireOldBuildLogs")
                        .expiration(Duration.days(retentionDays))
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                // Build logs are evidence for audits: a stack deletion must not take them along.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    public Bucket bucket() {
        return bucket;
    }
}
