package com.fractal.gpuhost.ci;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.settings.CiSettings;
import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.settings.Settings;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.OidcProviderNative;
import software.amazon.awscdk.services.iam.Policy;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.WebIdentityPrincipal;
import software.constructs.Construct;

/**
 * The role GitHub Actions assumes through OIDC to deploy, build the image and read the AMI IDs: no stored
 * keys. Only jobs of one repository, for pushes to its deploy branch (or in its named environment), get it.
 * Deployed once by hand, in the build region; IAM is global, so one role serves every region.
 */
public final class CiDeployRoleStack extends Stack {
    /** Longest CI session: long enough to wait for an image build and its distribution to every region. */
    public static final Duration MAX_SESSION = Duration.hours(4);

    private final Role role;
    private final Policy policy;

    public CiDeployRoleStack(final Construct scope, final StackProps props, final Settings settings) {
        super(scope, settings.names().ciDeployRoleStack(), props);
        CiSettings ci = settings.ci().orElseThrow();
        ProjectTags.apply(this, settings.names(), "ci");

        String providerArn = ci.oidcProviderArn().orElseGet(() -> OidcProviderNative.Builder
                .create(this, "GitHubOidcProvider")
                .url("https://" + CiSettings.GITHUB_OIDC_HOST)
                .clientIds(List.of(CiSettings.STS_AUDIENCE))
                .build()
                .getOidcProviderArn());

        role = Role.Builder.create(this, "DeployRole")
                .assumedBy(new WebIdentityPrincipal(providerArn, Map.of("StringEquals", tokenConditions(ci))))
                .description("GitHub Actions of " + ci.repository() + " (" + String.join(", ", ci.trustedSubjects())
                        + "): cdk deploy through the bootstrap roles, image builds, AMI IDs")
                .maxSessionDuration(MAX_SESSION)
                .build();
        DeployRolePermissions permissions = new DeployRolePermissions(settings.activeRegions(), settings.buildRegion(),
                settings.imageVariants().stream().map(ImageVariant::name).toList(), settings.names(), settings.release());
        policy = Policy.Builder.create(this, "DeployPolicy")
                .statements(permissions.statements())
                .roles(List.of(role))
                .build();

        NagSuppressions.addResourceSuppressions(policy, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .appliesTo(permissions.wildcardResourcesForNag())
                .reason("Image Builder names each pipeline run's image by recipe, version and build number, and "
                        + "Image Builder writes one AMI ID parameter per image under the project's path: the wildcards "
                        + "stay inside the project's name prefix (" + settings.names().prefixed("")
                        + ", " + settings.ssmNames().amiIdPath() + "), in the build region for images, read-only for "
                        + "parameters. Version manifests are read-only, under the manifests prefix of the pipeline "
                        + "stack's log bucket, whose name CloudFormation generates. AMI IDs are new with every build: "
                        + "tags go only on AMIs that carry the project tag. The log key is usable only through S3 for that "
                        + "bucket. The release command: AMIs and snapshots get their IDs at build time, so "
                        + "tagging names image/* and snapshot/* of the active regions, limited by condition to the "
                        + "channels' held-by tag keys; ec2:DescribeImages takes no resource-level permission; the "
                        + "topic's key is usable only through SNS for the one build topic")
                .build()));

        CfnOutput.Builder.create(this, "DeployRoleArn")
                .description("Set as the repository variable AWS_DEPLOY_ROLE_ARN")
                .value(role.getRoleArn())
                .build();
        CfnOutput.Builder.create(this, "OidcProviderArn")
                .description("The GitHub OIDC provider the role trusts")
                .value(providerArn)
                .build();
    }

    /** Audience, then subjects, in that order every time (Map.of's order changes between JVMs). */
    private static Map<String, Object> tokenConditions(final CiSettings ci) {
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put(CiSettings.GITHUB_OIDC_HOST + ":aud", CiSettings.STS_AUDIENCE);
        conditions.put(CiSettings.GITHUB_OIDC_HOST + ":sub", ci.trustedSubjects());
        return conditions;
    }

    public Role role() {
        return role;
    }

    public Policy policy() {
        return policy;
    }
}
