package com.fractal.gpuhost.release;

import com.fractal.gpuhost.release.ReleaseGateway.GatewayException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The workload accounts that read the channels, resolved at release time: the accounts the sharing settings
 * name, the accounts under the OUs (children included) and in the organization, as AWS Organizations lists
 * them now, and the copy accounts. Each gets a gateway through its channel writer role; an account whose role
 * cannot be assumed is listed as unreachable, so a release can refuse before anything is written.
 *
 * @param buildAccount        the account of the command's own credentials
 * @param readers             the accounts whose role was assumed, in the settings' order
 * @param unreachable         one line per account whose role could not be assumed
 * @param leftOut             the organization's management account when an OU or the organization holds it: left
 *                            out, since StackSets never deploy the baseline, and so the role, there
 */
public record WorkloadAccounts(String buildAccount, List<Reader> readers, List<String> unreachable,
        Optional<String> leftOut) {

    /**
     * One workload account and how it gets the AMIs.
     *
     * @param account the account ID
     * @param copies  true when it owns a copy of each AMI (copyToAccounts), false when it launches the shared one
     * @param grants  the launch permissions that let it launch a shared AMI (see
     *                {@link ReleaseGateway#launchPermissions}): its own ID, its OU's ARN or the organization's
     * @param gateway acts in that account through its channel writer role
     */
    public record Reader(String account, boolean copies, Set<String> grants, ReleaseGateway gateway) {
        public Reader {
            grants = Set.copyOf(grants);
        }
    }

    public WorkloadAccounts {
        readers = List.copyOf(readers);
        unreachable = List.copyOf(unreachable);
    }

    /** The build account alone: no sharing setting. */
    public static WorkloadAccounts none() {
        return new WorkloadAccounts("", List.of(), List.of(), Optional.empty());
    }

    public boolean any() {
        return !readers.isEmpty() || !unreachable.isEmpty();
    }

    /** One line: which accounts a release reaches, and the one it leaves out. */
    public String summary() {
        List<String> accounts = new ArrayList<>();
        readers.forEach(reader -> accounts.add(reader.account() + (reader.copies() ? " (its own copies)" : "")));
        unreachable.forEach(line -> accounts.add(line.substring("account ".length(), line.indexOf(':'))
                + " (role not assumable)"));
        return "workload accounts, as the sharing settings and AWS Organizations name them now: "
                + String.join(", ", accounts) + leftOut.map(management -> "; the management account " + management
                        + " is left out (StackSets deploy no channel writer role there)").orElse("");
    }

    public static WorkloadAccounts resolve(final ReleaseConfig.Sharing sharing, final AccountsGateway aws) {
        if (!sharing.isActive()) {
            return none();
        }
        String build = aws.callerAccount();
        Map<String, Set<String>> shared = new LinkedHashMap<>();
        sharing.accounts().forEach(account -> grant(shared, account, "UserId:" + account));
        Optional<String> management = Optional.empty();
        boolean managementHeld = false;
        if (!sharing.organizationalUnits().isEmpty() || sharing.organization().isPresent()) {
            management = Optional.of(aws.managementAccount());
            for (String unit : sharing.organizationalUnits()) {
                String unitId = unit.substring(unit.lastIndexOf('/') + 1);
                for (String account : aws.accountsUnder(unitId)) {
                    if (account.equals(management.get())) {
                        managementHeld = true;
                    } else {
                        grant(shared, account, "OrganizationalUnitArn:" + unit);
                    }
                }
            }
            if (sharing.organization().isPresent()) {
                for (String account : aws.organizationAccounts()) {
                    if (account.equals(management.get())) {
                        managementHeld = true;
                    } else {
                        grant(shared, account, "OrganizationArn:" + sharing.organization().get());
                    }
                }
            }
        }
        shared.remove(build);
        // An account that owns a copy launches its copy, even when an OU it is in also has the shared AMI.
        sharing.copyToAccounts().forEach(shared::remove);
        List<Reader> readers = new ArrayList<>();
        List<String> unreachable = new ArrayList<>();
        shared.forEach((account, grants) -> assume(aws, sharing, account, false, grants, readers, unreachable));
        sharing.copyToAccounts().forEach(account -> assume(aws, sharing, account, true, Set.of(), readers,
                unreachable));
        // A build account that is the management account itself (as in moto) is no workload account anyway.
        Optional<String> leftOut = managementHeld && !management.get().equals(build) ? management : Optional.empty();
        return new WorkloadAccounts(build, readers, unreachable, leftOut);
    }

    private static void grant(final Map<String, Set<String>> shared, final String account, final String grant) {
        shared.computeIfAbsent(account, a -> new LinkedHashSet<>()).add(grant);
    }

    private static void assume(final AccountsGateway aws, final ReleaseConfig.Sharing sharing, final String account,
            final boolean copies, final Set<String> grants, final List<Reader> readers, final List<String> unreachable) {
        try {
            readers.add(new Reader(account, copies, grants, aws.assume(account, sharing.channelWriterRole())));
        } catch (GatewayException e) {
            unreachable.add("account " + account + ": cannot assume role " + sharing.channelWriterRole() + " ("
                    + e.getMessage() + ")");
        }
    }
}
