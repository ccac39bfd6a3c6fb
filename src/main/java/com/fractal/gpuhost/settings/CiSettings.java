package com.fractal.gpuhost.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who may deploy from CI: the one GitHub repository, branch and (optionally) environment whose OIDC
 * tokens the deploy role trusts. Present only when {@code githubRepo} is set.
 *
 * @param repository      OWNER/NAME of the GitHub repository, exactly as GitHub spells it
 * @param deployBranch    the branch whose pushes deploy, without refs/heads/
 * @param environment     a GitHub environment whose jobs may also assume the role, when given
 * @param oidcProviderArn an existing GitHub OIDC provider of the account, used instead of creating one
 */
public record CiSettings(
        String repository,
        String deployBranch,
        Optional<String> environment,
        Optional<String> oidcProviderArn) {

    /** The host of GitHub's OIDC tokens: the provider's URL and the prefix of its condition keys. */
    public static final String GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
    /** The audience configure-aws-credentials asks GitHub to put in the token. */
    public static final String STS_AUDIENCE = "sts.amazonaws.com";

    /** The token subject of a job that runs for a push to the deploy branch. */
    public String branchSubject() {
        return "repo:" + repository + ":ref:refs/heads/" + deployBranch;
    }

    /** The token subject of a job that runs in the environment, when one is given. */
    public Optional<String> environmentSubject() {
        return environment.map(name -> "repo:" + repository + ":environment:" + name);
    }

    /** Every subject the role trusts: the branch first, then the environment. */
    public List<String> trustedSubjects() {
        List<String> subjects = new ArrayList<>(List.of(branchSubject()));
        environmentSubject().ifPresent(subjects::add);
        return List.copyOf(subjects);
    }
}
