package com.fractal.gpuhost.settings;

import static com.fractal.gpuhost.settings.SettingDeclarations.COPY_TO_ACCOUNTS;
import static com.fractal.gpuhost.settings.SettingDeclarations.ORGANIZATION_ROOT_ID;
import static com.fractal.gpuhost.settings.SettingDeclarations.SHARE_WITH_ACCOUNTS;
import static com.fractal.gpuhost.settings.SettingDeclarations.SHARE_WITH_ORGANIZATION;
import static com.fractal.gpuhost.settings.SettingDeclarations.SHARE_WITH_ORGANIZATIONAL_UNITS;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the sharing settings and checks what no single value shows: overlaps and the build account. */
final class SharingRules {
    private SharingRules() {
    }

    static SharingSettings read(final ContextValues values, final Optional<String> buildAccount) {
        List<String> accounts = SHARE_WITH_ACCOUNTS.read(values);
        List<String> units = SHARE_WITH_ORGANIZATIONAL_UNITS.read(values);
        Optional<String> organization = SHARE_WITH_ORGANIZATION.read(values);
        List<String> copies = COPY_TO_ACCOUNTS.read(values);
        Map<Setting<List<String>>, List<String>> lists = Map.of(SHARE_WITH_ACCOUNTS, accounts, COPY_TO_ACCOUNTS,
                copies);
        copies.stream().filter(accounts::contains).forEach(account -> values.problem(COPY_TO_ACCOUNTS.key(),
                account, "is also in " + SHARE_WITH_ACCOUNTS.key() + "; allowed: an account either launches the "
                        + "shared AMI or gets its own copy, not both"));
        buildAccount.ifPresent(self -> List.of(SHARE_WITH_ACCOUNTS, COPY_TO_ACCOUNTS).stream()
                .filter(setting -> lists.get(setting).contains(self))
                .forEach(setting -> values.problem(setting.key(), self, "is the build account itself, which owns "
                        + "the AMIs already; allowed: other accounts")));
        return new SharingSettings(accounts, units, organization, copies, ORGANIZATION_ROOT_ID.read(values));
    }
}
