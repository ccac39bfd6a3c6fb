package com.fractal.gpuhost.settings;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the GitHub CI keys. Every value ends up, verbatim, in a StringEquals condition of the deploy
 * role's trust policy, so each one is held to GitHub's own naming rules and may never hold a wildcard.
 */
final class CiSettingsParser {
    /** A GitHub user or organisation: letters, digits and single inner hyphens, at most 39 characters. */
    static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");
    /** A repository name: letters, digits, '.', '_' and '-', at most 100 characters, not "." or "..". */
    static final Pattern REPOSITORY_NAME = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]{1,100}");
    /** A branch name as git allows it, kept to characters that cannot act as a pattern. */
    static final Pattern BRANCH = Pattern.compile("(?!-)(?!.*\\.\\.)(?!.*//)(?!.*/$)(?!.*\\.lock$)(?!.*\\.$)"
            + "(?!/)(?!.*/\\.)[A-Za-z0-9._/-]{1,255}");
    /** A GitHub environment name, kept to characters that are safe in a token subject. */
    static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9._-]{1,255}");
    static final Pattern OIDC_PROVIDER_ARN = Pattern.compile(
            "arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:oidc-provider/" + Pattern.quote(CiSettings.GITHUB_OIDC_HOST));

    private CiSettingsParser() {
    }

    /** The CI settings, or empty when {@code githubRepo} is not set (then no deploy-role stack is made). */
    static Optional<CiSettings> parse(final ContextValues values) {
        Optional<String> repository = values.optionalString("githubRepo");
        repository.ifPresent(repo -> checkRepository(values, repo));

        int before = values.problemCount();
        String branch = values.requiredString("githubDeployBranch", "a branch name such as main");
        if (branch.isEmpty() && values.problemCount() == before) {
            values.problem("githubDeployBranch", branch, "is empty; allowed: one exact branch name, such as main");
        } else if (branch.startsWith("refs/")) {
            values.problem("githubDeployBranch", branch, "is a full ref; allowed: the branch name alone, such as "
                    + branch.replaceFirst("^refs/heads/", ""));
        } else if (!branch.isEmpty() && !BRANCH.matcher(branch).matches()) {
            values.problem("githubDeployBranch", branch, "is not allowed; allowed: one exact branch name of "
                    + "letters, digits, '.', '_', '-' and '/' (no wildcard, no '..', no leading '-' or '/', "
                    + "no trailing '/', '.' or '.lock'), such as main or release/2026");
        }

        Optional<String> environment = values.optionalString("githubEnvironment");
        environment.filter(name -> !ENVIRONMENT.matcher(name).matches())
                .ifPresent(name -> values.problem("githubEnvironment", name, "is not allowed; allowed: one exact "
                        + "GitHub environment name of 1 to 255 letters, digits, '.', '_' and '-' (no wildcard), "
                        + "such as production"));

        Optional<String> providerArn = values.optionalString("githubOidcProviderArn");
        providerArn.filter(arn -> !OIDC_PROVIDER_ARN.matcher(arn).matches())
                .ifPresent(arn -> values.problem("githubOidcProviderArn", arn, "is not allowed; allowed: the ARN "
                        + "of the account's GitHub OIDC provider, arn:aws:iam::ACCOUNT:oidc-provider/"
                        + CiSettings.GITHUB_OIDC_HOST + ", or empty to create one"));

        return repository.map(repo -> new CiSettings(repo, branch, environment, providerArn));
    }

    private static void checkRepository(final ContextValues values, final String repository) {
        int slash = repository.indexOf('/');
        boolean wellFormed = slash > 0 && slash == repository.lastIndexOf('/')
                && OWNER.matcher(repository.substring(0, slash)).matches()
                && REPOSITORY_NAME.matcher(repository.substring(slash + 1)).matches();
        if (!wellFormed) {
            values.problem("githubRepo", repository, "is not a GitHub repository; allowed: OWNER/NAME exactly as "
                    + "GitHub spells it (owner: letters, digits and single hyphens, up to 39; name: letters, "
                    + "digits, '.', '_' and '-', up to 100; no wildcard, no URL), such as octo-org/gpu-host-infra,"
                    + " or empty for no CI deploy role");
        }
    }
}
