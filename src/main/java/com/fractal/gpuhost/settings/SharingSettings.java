package com.fractal.gpuhost.settings;

import java.util.List;
import java.util.Optional;

/**
 * Who else may use the AMIs: accounts, organizational units and a whole organization launch them by
 * launch permission (the AMI stays in the build account); accounts that must own their AMIs get a copy.
 * With none of these, the AMIs stay in the build account and no snapshot key is made.
 *
 * @param accounts              account IDs that may launch the AMIs
 * @param organizationalUnits   OU ARNs whose accounts (children included) may launch them
 * @param organization          the organization ARN whose accounts may launch them
 * @param copyToAccounts        account IDs that get their own copy of each AMI
 * @param organizationRootId    the organization's root ID (r-...), where the workload baseline StackSet
 *                              reaches the whole organization and single accounts
 */
public record SharingSettings(List<String> accounts, List<String> organizationalUnits,
        Optional<String> organization, List<String> copyToAccounts, Optional<String> organizationRootId) {

    /** Image Builder's limit on organization and OU ARNs in one launch permission. */
    public static final int MAX_ORGANIZATION_ARNS = 25;

    public SharingSettings {
        accounts = List.copyOf(accounts);
        organizationalUnits = List.copyOf(organizationalUnits);
        copyToAccounts = List.copyOf(copyToAccounts);
    }

    /** Without a root ID: the StackSet then reaches the OUs only. */
    public SharingSettings(final List<String> accounts, final List<String> organizationalUnits,
            final Optional<String> organization, final List<String> copyToAccounts) {
        this(accounts, organizationalUnits, organization, copyToAccounts, Optional.empty());
    }

    public static SharingSettings none() {
        return new SharingSettings(List.of(), List.of(), Optional.empty(), List.of());
    }

    /** True when any account other than the build account uses the AMIs: then snapshots need a shareable key. */
    public boolean isActive() {
        return !accounts.isEmpty() || !organizationalUnits.isEmpty() || organization.isPresent()
                || !copyToAccounts.isEmpty();
    }

    /** True when some account, OU or organization launches the AMIs by launch permission. */
    public boolean sharesByLaunchPermission() {
        return !accounts.isEmpty() || !organizationalUnits.isEmpty() || organization.isPresent();
    }

    /** The organization's ID (o-...) of an organization or OU ARN. */
    public static String organizationId(final String arn) {
        String path = arn.substring(arn.indexOf(':', "arn:aws:organizations::".length()) + 1);
        return path.split("/")[1];
    }

    /** The OU's ID (ou-...) of an OU ARN. */
    public static String organizationalUnitId(final String ouArn) {
        String[] path = ouArn.split("/");
        return path[path.length - 1];
    }
}
