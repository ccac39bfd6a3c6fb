package com.fractal.gpuhost.hostscripts;

import java.nio.file.Path;
import java.util.List;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.IGrantable;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

/**
 * The host-scripts folder as one S3 asset. Dev instances and the AMI build download the same files, so
 * the two cannot drift apart. Tests and docs stay out of the asset: they never run on a host. How a host
 * unpacks it is written in the component documents (image/UnpackCommand).
 */
public final class HostScriptsAsset extends Construct {
    private static final List<String> NOT_SHIPPED = List.of("test", "*.md", "*.bats");

    private final Asset asset;

    public HostScriptsAsset(final Construct scope, final String id, final Path hostScriptsDir) {
        super(scope, id);
        this.asset = Asset.Builder.create(this, "Files")
                .path(hostScriptsDir.toString())
                .exclude(NOT_SHIPPED)
                .build();
    }

    /** Changes exactly when a shipped file changes. */
    public String assetHash() {
        return asset.getAssetHash();
    }

    public String s3ObjectUrl() {
        return asset.getS3ObjectUrl();
    }

    public String bucketName() {
        return asset.getS3BucketName();
    }

    public String objectKey() {
        return asset.getS3ObjectKey();
    }

    /**
     * What a host that runs the setup needs, and nothing more: read the one asset object and its variant's
     * pinned NVIDIA GRID driver object in the project's driver mirror (never AWS's bucket). Exact object ARNs,
     * so no wildcard to justify; the mirror's AWS-managed S3 key decrypts for any reader S3 lets through.
     */
    public void grantHostSetup(final IGrantable host, final String driverMirrorBucket, final String gridDriverKey) {
        String s3 = "arn:" + Aws.PARTITION + ":s3:::";
        host.getGrantPrincipal().addToPrincipalPolicy(PolicyStatement.Builder.create()
                .sid("ReadHostScriptsAndNvidiaGridDriver")
                .actions(List.of("s3:GetObject"))
                .resources(List.of(
                        s3 + asset.getS3BucketName() + "/" + asset.getS3ObjectKey(),
                        s3 + driverMirrorBucket + "/" + gridDriverKey))
                .build());
    }
}
