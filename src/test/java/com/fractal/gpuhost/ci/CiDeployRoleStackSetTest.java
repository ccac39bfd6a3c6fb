package com.fractal.gpuhost.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.GpuHostStacks;
import com.fractal.gpuhost.settings.ContextSource;
import com.fractal.gpuhost.settings.SettingsLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** When the role stack exists, and with an existing provider. */
class CiDeployRoleStackSetTest {
    static final String PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

    @TempDir
    static Path tempDir;

    private static List<Stack> stacksFor(final Map<String, Object> overrides) {
        Map<String, Object> context = CdkJsonContext.with(overrides);
        App app = new App(AppProps.builder().context(context).build());
        return GpuHostStacks.addTo(app, SettingsLoader.load(ContextSource.of(context),
                CdkJsonContext.hostScriptsIn(tempDir)), Optional.empty());
    }

    @Test
    void theDefaultsHaveNoDeployRoleSoCiNeverTouchesIt() {
        assertTrue(stacksFor(Map.of()).stream().noneMatch(CiDeployRoleStack.class::isInstance));
    }

    @Test
    void anExistingProviderIsTrustedInsteadOfANewOne() {
        Stack stack = stacksFor(Map.of("githubRepo", "octo-org/infra", "githubOidcProviderArn", PROVIDER)).stream()
                .filter(CiDeployRoleStack.class::isInstance).findFirst().orElseThrow();
        Template template = Template.fromStack(stack);
        template.resourceCountIs("AWS::IAM::OIDCProvider", 0);
        @SuppressWarnings("unchecked")
        Map<String, Object> document = (Map<String, Object>) ((Map<String, Object>) template
                .findResources("AWS::IAM::Role").values().iterator().next().get("Properties"))
                .get("AssumeRolePolicyDocument");
        @SuppressWarnings("unchecked")
        Map<String, Object> statement = ((List<Map<String, Object>>) document.get("Statement")).get(0);
        assertEquals(Map.of("Federated", PROVIDER), statement.get("Principal"));
        assertEquals(Map.of("StringEquals", Map.of(
                "token.actions.githubusercontent.com:aud", "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub", List.of("repo:octo-org/infra:ref:refs/heads/main"))),
                statement.get("Condition"));
    }
}
