package com.fractal.gpuhost.image;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.constructs.Construct;

/**
 * What every bucket of the image pipeline is, stated once: versioned (an overwrite or a delete stays
 * recoverable), TLS only, never public, owned by the bucket's account, and retained when the stack is
 * deleted (logs, manifests and drivers are evidence or inputs of old recipes). Callers add encryption
 * and lifecycle.
 */
final class PrivateBuckets {
    private PrivateBuckets() {
    }

    static Bucket.Builder builder(final Construct scope, final String id) {
        return Bucket.Builder.create(scope, id)
                .versioned(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .removalPolicy(RemovalPolicy.RETAIN);
    }
}
