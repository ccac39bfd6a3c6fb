package com.fractal.gpuhost.ci;

import com.fractal.gpuhost.TestApps;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.assertions.Template;

/** When the role stack exists, and with an existing provider. */
class CiDeployRoleStackSetTest {
    static final String PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

    private static List<Stack> stacksFor(final Map<String, Object> overrides) {
        return TestApps.synthesize(overrides).stacks();
    }

    @Test
    void theDefaultsHaveNoDeployRoleSoCiNeverTouchesIt() {
        assertTrue(stacksFor(Map.of()).stream().noneMatch(CiDeployRoleStack.class::isInstance));
    }

    @Test
    void anExistingProviderIsTrustedInsteadOfANewOne() {
        Stack stack = stacksFor(CiDeployRoleSharingTest.NAMED_ACCOUNTS).stream()
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
                "token.actions.githubusercontent.com:sub", List.of("repo:" + CiDeployRoleStackTest.REPO
                        + ":ref:refs/heads/main"))),
                statement.get("Condition"));
    }
}
