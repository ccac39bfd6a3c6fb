package com.fractal.gpuhost.ci;

import com.fractal.gpuhost.ProjectTags;
import com.fractal.gpuhost.nag.AcceptedRisk;
import com.fractal.gpuhost.settings.CiSettings;
import com.fractal.gpuhost.settings.ImageVariant;
import com.fractal.gpuhost.settings.Settings;
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
                settings.imageVariants().stream().map(ImageVariant::name).toList(), settings.names(), settings.release(),
                settings.imagePipeline().sharing());
        policy = Policy.Builder.create(this, "DeployPolicy")
                .statements(permissions.statements())
                .roles(List.of(role))
                .build();

        AcceptedRisk.CI_DEPLOY_SCOPED_WILDCARDS.acceptOn(policy, permissions.wildcardResourcesForNag());

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
