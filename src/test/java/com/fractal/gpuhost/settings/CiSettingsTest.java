package com.fractal.gpuhost.settings;

import com.fractal.gpuhost.TestApps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CiSettingsTest {
    private static Settings load(final Map<String, Object> overrides) {
        return TestApps.settings(overrides);
    }

    private static List<String> problems(final Map<String, Object> overrides) {
        return assertThrows(InvalidSettingsException.class, () -> load(overrides)).problems();
    }

    private static void assertOneProblem(final Map<String, Object> overrides, final String key, final String value,
            final String allowed) {
        List<String> problems = problems(overrides);
        assertEquals(1, problems.size(), problems::toString);
        String problem = problems.get(0);
        assertTrue(problem.startsWith(key + ": \"" + value + "\" "), problem);
        assertTrue(problem.contains("allowed: "), problem);
        assertTrue(problem.contains(allowed), problem);
    }

    @Test
    void theDefaultsMakeNoDeployRole() {
        assertEquals(Optional.empty(), load(Map.of()).ci());
    }

    @Test
    void aRepositoryTrustsItsMainBranchByDefault() {
        CiSettings ci = load(Map.of("githubRepo", "octo-org/gpu-host-infra")).ci().orElseThrow();
        assertEquals("main", ci.deployBranch());
        assertEquals(List.of("repo:octo-org/gpu-host-infra:ref:refs/heads/main"), ci.trustedSubjects());
        assertEquals(Optional.empty(), ci.oidcProviderArn());
    }

    @Test
    void anEnvironmentAddsItsSubjectAfterTheBranch() {
        CiSettings ci = load(Map.of("githubRepo", "Octo-Org/gpu.host_infra", "githubDeployBranch", "release/2026",
                "githubEnvironment", "production")).ci().orElseThrow();
        assertEquals(List.of("repo:Octo-Org/gpu.host_infra:ref:refs/heads/release/2026",
                "repo:Octo-Org/gpu.host_infra:environment:production"), ci.trustedSubjects());
    }

    @Test
    void anExistingProviderIsKept() {
        String arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
        assertEquals(Optional.of(arn), load(Map.of("githubRepo", "octo-org/infra", "githubOidcProviderArn", arn))
                .ci().orElseThrow().oidcProviderArn());
    }

    @ParameterizedTest
    @ValueSource(strings = {"octo-org", "octo-org/", "/infra", "octo-org/infra/extra", "octo-org/*", "*/infra",
        "octo-*/infra", "octo-org/infra?", "https://github.com/octo-org/infra", "-octo/infra", "octo-/infra",
        "octo--org/infra", "octo-org/..", "octo org/infra", "octo-org/infra:ref"})
    void aMalformedRepositoryIsRejected(final String repository) {
        assertOneProblem(Map.of("githubRepo", repository), "githubRepo", repository, "OWNER/NAME");
    }

    @ParameterizedTest
    @ValueSource(strings = {"main*", "*", "feature/*", "releases/**", "ma?n", "a..b", "-main", "/main", "main/",
        "main.lock", "main.", "a//b", "dev/.hidden", "main branch", "main:x", "[main]"})
    void aBadBranchIsRejected(final String branch) {
        assertOneProblem(Map.of("githubRepo", "octo-org/infra", "githubDeployBranch", branch), "githubDeployBranch",
                branch, "one exact branch name");
    }

    @Test
    void aFullRefIsRejectedWithTheBranchNameToUse() {
        assertOneProblem(Map.of("githubDeployBranch", "refs/heads/main"), "githubDeployBranch", "refs/heads/main",
                "the branch name alone, such as main");
    }

    @Test
    void anEmptyBranchIsRejected() {
        List<String> problems = problems(Map.of("githubRepo", "octo-org/infra", "githubDeployBranch", ""));
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).startsWith("githubDeployBranch: "), problems.get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod*", "prod:x", "prod/x", "pro duction"})
    void aBadEnvironmentIsRejected(final String environment) {
        assertOneProblem(Map.of("githubRepo", "octo-org/infra", "githubEnvironment", environment), "githubEnvironment",
                environment, "one exact GitHub environment name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"arn:aws:iam::123456789012:oidc-provider/example.com",
        "arn:aws:iam::12345:oidc-provider/token.actions.githubusercontent.com",
        "arn:aws:iam::*:oidc-provider/token.actions.githubusercontent.com", "token.actions.githubusercontent.com"})
    void aBadProviderArnIsRejected(final String arn) {
        assertOneProblem(Map.of("githubRepo", "octo-org/infra", "githubOidcProviderArn", arn), "githubOidcProviderArn",
                arn, "oidc-provider/token.actions.githubusercontent.com");
    }

    @Test
    void everyBadCiKeyIsReportedAtOnceWithTheOthers() {
        List<String> problems = problems(Map.of("githubRepo", "octo-org/*", "githubDeployBranch", "main*",
                "githubEnvironment", "prod*", "githubOidcProviderArn", "nope", "rootVolumeGiB", 8));
        assertEquals(List.of("rootVolumeGiB", "githubRepo", "githubDeployBranch", "githubEnvironment",
                "githubOidcProviderArn"), problems.stream().map(problem -> problem.substring(0, problem.indexOf(':')))
                .toList());
    }
}
