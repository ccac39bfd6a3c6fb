package com.fractal.gpuhost.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The sharing settings: read from the command line's forms, and every bad input refused before synthesis. */
class SharingSettingsTest {
    static final java.nio.file.Path HOST_SCRIPTS = java.nio.file.Path.of("host-scripts");
    static final String BUILD_ACCOUNT = "999988887777";
    static final String ORG = "arn:aws:organizations::111111111111:organization/o-a1b2c3d4e5";
    static final String OU = "arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-11111111";

    @Test
    void noSharingByDefault() {
        SharingSettings sharing = TestApps.settings(Map.of()).imagePipeline().sharing();
        assertEquals(SharingSettings.none(), sharing);
        assertFalse(sharing.isActive());
    }

    @Test
    void commandLineValuesAreRead() {
        SharingSettings sharing = TestApps.settings(Map.of("shareWithAccounts", "111122223333, 444455556666",
                "shareWithOrganizationalUnits", OU, "shareWithOrganization", ORG, "copyToAccounts", "777788889999"))
                .imagePipeline().sharing();
        assertEquals(List.of("111122223333", "444455556666"), sharing.accounts());
        assertEquals(List.of(OU), sharing.organizationalUnits());
        assertEquals(Optional.of(ORG), sharing.organization());
        assertEquals(List.of("777788889999"), sharing.copyToAccounts());
        assertTrue(sharing.isActive() && sharing.sharesByLaunchPermission());
        assertEquals("o-a1b2c3d4e5", SharingSettings.organizationId(OU));
        assertEquals("o-a1b2c3d4e5", SharingSettings.organizationId(ORG));
        assertEquals("ou-ab12-11111111", SharingSettings.organizationalUnitId(OU));
    }

    @Test
    void copiesAloneAreSharingTooButGrantNoLaunchPermission() {
        SharingSettings sharing = TestApps.settings(Map.of("copyToAccounts", "777788889999")).imagePipeline()
                .sharing();
        assertTrue(sharing.isActive());
        assertFalse(sharing.sharesByLaunchPermission());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "shareWithAccounts|11112222333|shareWithAccounts: \"11112222333\" is not an AWS account ID; allowed: "
                + "account IDs of 12 digits",
        "shareWithAccounts|1111-2222-3333|shareWithAccounts: \"1111-2222-3333\" is not an AWS account ID",
        "copyToAccounts|abcdefghijkl|copyToAccounts: \"abcdefghijkl\" is not an AWS account ID",
        "shareWithAccounts|111122223333,111122223333|shareWithAccounts: \"111122223333\" is listed twice",
        "shareWithOrganizationalUnits|ou-ab12-11111111|shareWithOrganizationalUnits: \"ou-ab12-11111111\" is not "
                + "an OU ARN; allowed: up to 25 OU ARNs (Image Builder's limit; or share with the whole organization)",
        "shareWithOrganizationalUnits|arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/r-ab12|"
                + "shareWithOrganizationalUnits: \"arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/r-ab12\" is "
                + "not an OU ARN",
        "shareWithOrganizationalUnits|arn:aws:organizations::1111:ou/o-a1b2c3d4e5/ou-ab12-11111111|"
                + "shareWithOrganizationalUnits: \"arn:aws:organizations::1111:ou/o-a1b2c3d4e5/ou-ab12-11111111\" "
                + "is not an OU ARN",
        "shareWithOrganization|o-a1b2c3d4e5|shareWithOrganization: \"o-a1b2c3d4e5\" is not an organization ARN; "
                + "allowed: empty, or an organization ARN such as arn:aws:organizations::111111111111:organization/",
        "shareWithOrganization|arn:aws:organizations::111111111111:organization/o-ab|shareWithOrganization: "
                + "\"arn:aws:organizations::111111111111:organization/o-ab\" is not an organization ARN",
        "launchPermissionAccounts|111122223333|launchPermissionAccounts: \"111122223333\" is no longer a setting; "
                + "use shareWithAccounts (or shareWithOrganizationalUnits, shareWithOrganization)",
    })
    void badInputIsRefusedNamingTheSettingTheValueAndWhatIsAllowed(final String key, final String value,
            final String message) {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> TestApps.settings(Map.of(key, value)));
        assertTrue(error.problems().stream().anyMatch(problem -> problem.startsWith(message)),
                () -> "expected a problem starting with <" + message + "> in " + error.problems());
    }

    @Test
    void anAccountIsEitherSharedOrCopiedNotBoth() {
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> TestApps.settings(
                Map.of("shareWithAccounts", "111122223333", "copyToAccounts", "444455556666,111122223333")));
        assertEquals(List.of("copyToAccounts: \"111122223333\" is also in shareWithAccounts; allowed: an account "
                + "either launches the shared AMI or gets its own copy, not both"), error.problems());
    }

    @Test
    void theBuildAccountIsNeverSharedWithOrCopiedToWhenItIsKnown() {
        Map<String, Object> context = TestApps.context(Map.of("shareWithAccounts", BUILD_ACCOUNT,
                "copyToAccounts", "111122223333," + BUILD_ACCOUNT));
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class, () -> SettingsLoader.load(
                ContextSource.of(context), HOST_SCRIPTS, Optional.of(BUILD_ACCOUNT)));
        assertTrue(error.problems().containsAll(List.of(
                "shareWithAccounts: \"" + BUILD_ACCOUNT + "\" is the build account itself, which owns the AMIs "
                        + "already; allowed: other accounts",
                "copyToAccounts: \"" + BUILD_ACCOUNT + "\" is the build account itself, which owns the AMIs "
                        + "already; allowed: other accounts")), error.problems()::toString);
        // Unknown at synth (no CDK_DEFAULT_ACCOUNT): nothing to compare with, so the same values pass.
        assertEquals(List.of(BUILD_ACCOUNT), SettingsLoader.load(ContextSource.of(TestApps.context(
                Map.of("shareWithAccounts", BUILD_ACCOUNT))),
                HOST_SCRIPTS, Optional.empty()).imagePipeline().sharing().accounts());
    }

    @Test
    void atMostTwentyFiveOrganizationalUnits() {
        String units = String.join(",", IntStream.range(0, 26)
                .mapToObj(i -> String.format("arn:aws:organizations::111111111111:ou/o-a1b2c3d4e5/ou-ab12-%08d", i))
                .toList());
        InvalidSettingsException error = assertThrows(InvalidSettingsException.class,
                () -> TestApps.settings(Map.of("shareWithOrganizationalUnits", units)));
        assertEquals(List.of("shareWithOrganizationalUnits: \"26 items\" is too many; allowed: "
                + SettingDeclarations.SHARE_WITH_ORGANIZATIONAL_UNITS.allowed()), error.problems());
    }
}
