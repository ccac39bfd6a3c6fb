package com.fractal.gpuhost.settings;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What GitHub's names may hold. Every CI value ends up, verbatim, in a StringEquals condition of the deploy
 * role's trust policy, so each one is held to GitHub's own naming rules and may never hold a wildcard; the
 * declarations ({@link SettingDeclarations}) check them with these.
 */
final class CiSettingsParser {
    /** A GitHub user or organisation: letters, digits and single inner hyphens, at most 39 characters. */
    static final Pattern OWNER = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}");
    /** A repository name: letters, digits, '.', '_' and '-', at most 100 characters, not "." or "..". */
    static final Pattern REPOSITORY_NAME = Pattern.compile("(?!\\.{1,2}$)[A-Za-z0-9._-]{1,100}");
    /** A branch name as git allows it, kept to characters that cannot act as a pattern (length checked apart). */
    static final Pattern BRANCH = Pattern.compile("(?!-)(?!.*\\.\\.)(?!.*//)(?!.*/$)(?!.*\\.lock$)(?!.*\\.$)"
            + "(?!/)(?!.*/\\.)[A-Za-z0-9._/-]+");
    /** A GitHub environment name, kept to characters that are safe in a token subject (length checked apart). */
    static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9._-]+");
    static final Pattern OIDC_PROVIDER_ARN = Pattern.compile(
            "arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:oidc-provider/" + Pattern.quote(CiSettings.GITHUB_OIDC_HOST));

    private CiSettingsParser() {
    }

    /** The CI settings, or empty when {@code githubRepo} is not set (then no deploy-role stack is made). */
    static Optional<CiSettings> parse(final ContextValues values) {
        Optional<String> repository = SettingDeclarations.GITHUB_REPO.read(values);
        String branch = SettingDeclarations.GITHUB_DEPLOY_BRANCH.read(values);
        Optional<String> environment = SettingDeclarations.GITHUB_ENVIRONMENT.read(values);
        Optional<String> providerArn = SettingDeclarations.GITHUB_OIDC_PROVIDER_ARN.read(values);
        return repository.map(repo -> new CiSettings(repo, branch, environment, providerArn));
    }

    /** OWNER/NAME as GitHub allows them: one slash, no wildcard, no URL. */
    static boolean isRepository(final String repository) {
        int slash = repository.indexOf('/');
        return slash > 0 && slash == repository.lastIndexOf('/')
                && OWNER.matcher(repository.substring(0, slash)).matches()
                && REPOSITORY_NAME.matcher(repository.substring(slash + 1)).matches();
    }
}
