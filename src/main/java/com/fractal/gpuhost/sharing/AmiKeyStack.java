package com.fractal.gpuhost.sharing;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.settings.Settings;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * One region's AMI snapshot key, in the build account. Synthesized only when the AMIs are shared or
 * copied; deployed before the pipeline, which names the key by its alias ARN.
 */
public final class AmiKeyStack extends Stack {
    public AmiKeyStack(final Construct scope, final StackProps props, final Settings settings, final String region) {
        super(scope, settings.names().amiKeyStack(region), props);
        ProjectTags.apply(this, settings.names(), "ami-key");
        AmiSnapshotKey key = new AmiSnapshotKey(this, "SnapshotKey", settings.names().amiKeyAlias(),
                settings.imagePipeline().sharing());
        CfnOutput.Builder.create(this, "KeyArn").description("The key that encrypts the AMIs' snapshots in "
                + region).value(key.key().getKeyArn()).build();
    }
}
