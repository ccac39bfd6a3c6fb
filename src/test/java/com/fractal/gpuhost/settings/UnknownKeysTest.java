package com.fractal.gpuhost.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fractal.gpuhost.TestApps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A context key that no declaration names is refused before synthesis, naming the closest declared key. */
class UnknownKeysTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "devInstnaceType, devInstanceType",
        "develper, developer",
        "rootVolumeGib, rootVolumeGiB",
        "activeRegion, activeRegions",
        "sshcidr, sshCidr",
        "githubrepo, githubRepo",
    })
    void aMisspeltSettingIsRefusedNamingTheClosestDeclaredKey(final String misspelt, final String meant) {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> TestApps.settings(Map.of(misspelt, "g5.xlarge")));
        assertEquals(List.of("unknown setting \"" + misspelt + "\"; did you mean \"" + meant + "\"?"),
                error.problems());
    }

    /** The keys the CDK CLI itself put into the context of a real `cdk synth`, and those it caches or records. */
    @ParameterizedTest
    @ValueSource(strings = {"@aws-cdk/core:failSynthOnValidationErrors", "aws:cdk:bundling-stacks",
        "aws:cdk:disable-version-reporting", "aws:cdk:enable-asset-metadata", "aws:cdk:enable-path-metadata",
        "@aws-cdk/aws-ec2:restrictDefaultSecurityGroup", "@aws-cdk-containers/ecs-service-extensions:enableDefaultLogDriver",
        "aws-cdk:enableDiffNoFail", "cdk-migrate", "acknowledged-issue-numbers",
        "availability-zones:account=123456789012:region=us-east-1",
        "ssm:account=123456789012:parameterName=/x:region=us-east-1"})
    void theCdksOwnKeysPass(final String key) {
        TestApps.settings(Map.of(key, "true"));
    }

    @Test
    void aRetiredKeyKeepsItsOwnMessage() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> TestApps.settings(Map.of("launchPermissionAccounts", "111111111111")));
        assertEquals(List.of("launchPermissionAccounts: \"111111111111\" is no longer a setting; "
                + SettingDeclarations.RETIRED.get("launchPermissionAccounts")), error.problems());
    }

    @Test
    void anUnknownKeyIsReportedWithEveryOtherProblem() {
        Map<String, Object> bad = new HashMap<>(Map.of("devInstnaceType", "g5.xlarge", "rootVolumeGiB", "8"));
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> TestApps.settings(bad));
        assertEquals(List.of("unknown setting \"devInstnaceType\"; did you mean \"devInstanceType\"?",
                "rootVolumeGiB: \"8\" is not allowed; allowed: a whole number from 32 to 16384"), error.problems());
    }

    @Test
    void aSwapOfTwoNeighbouringLettersIsOneEdit() {
        assertEquals(1, UnknownKeys.distance("devInstnaceType", "devInstanceType"));
        assertEquals(0, UnknownKeys.distance("sshcidr", "sshCidr"));
        assertEquals(3, UnknownKeys.distance("kitten", "sitting"));
    }
}
