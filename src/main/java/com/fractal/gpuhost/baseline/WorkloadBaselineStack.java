package com.fractal.gpuhost.baseline;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.network.HostNetwork;
import com.fractal.gpuhost.settings.AllowedValues;
import com.fractal.gpuhost.settings.Settings;
import java.util.Optional;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.BootstraplessSynthesizer;
import software.amazon.awscdk.CfnCondition;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/**
 * What every workload account gets in every active region, by StackSet: the same network as the build
 * account's {@code NetworkStack} (VPC, security groups including container-testing, their IDs in SSM) and the
 * release-channel writer role. Environment-agnostic (no account or region in it: CloudFormation fills in
 * pseudo parameters and Fn::GetAZs in each target) and without assets: the bootstrapless synthesizer refuses
 * a file asset and adds no bootstrap-version check, since workload accounts are not bootstrapped for it.
 */
public final class WorkloadBaselineStack extends Stack {
    /** The StackSet fills this in with the deploying (build) account. */
    public static final String BUILD_ACCOUNT_PARAMETER = "BuildAccountId";
    /**
     * The one region whose stack instance holds the channel writer role: IAM names are global to an account, so
     * a named role made by every region's instance would clash with itself. The StackSet fills in the build region.
     */
    public static final String WRITER_ROLE_REGION_PARAMETER = "ChannelWriterRoleRegion";

    private final ChannelWriterRole writer;

    public WorkloadBaselineStack(final Construct scope, final String id, final Settings settings) {
        super(scope, id, StackProps.builder()
                .synthesizer(new BootstraplessSynthesizer())
                .description("GPU host baseline of a workload account: VPC, security groups (container-testing, "
                        + "production hosts, image builder) and their IDs in SSM under " + settings.ssmNames().prefix()
                        + ", and the role the build account's release command writes release channels through")
                .analyticsReporting(false)
                .build());
        ProjectTags.apply(this, settings.names(), "workload-baseline");
        CfnParameter buildAccount = CfnParameter.Builder.create(this, BUILD_ACCOUNT_PARAMETER)
                .type("String")
                .allowedPattern(AllowedValues.ACCOUNT_ID.pattern())
                .description("The build account, whose release command may write this account's release channels")
                .build();
        CfnParameter writerRegion = CfnParameter.Builder.create(this, WRITER_ROLE_REGION_PARAMETER)
                .type("String")
                .allowedPattern("[a-z]{2}(-[a-z]+)+-[0-9]")
                .description("The region whose stack holds the account's one release channel writer role (IAM is "
                        + "global)")
                .build();
        HostNetwork.addTo(this, settings, Optional.empty());
        writer = new ChannelWriterRole(this, "ReleaseChannelWriter", settings.names(), settings.ssmNames(),
                buildAccount.getValueAsString());
        CfnCondition inWriterRegion = CfnCondition.Builder.create(this, "InChannelWriterRoleRegion")
                .expression(Fn.conditionEquals(Aws.REGION, writerRegion.getValueAsString())).build();
        ((CfnResource) writer.role().getNode().getDefaultChild()).getCfnOptions().setCondition(inWriterRegion);
    }

    public ChannelWriterRole writer() {
        return writer;
    }
}
