package com.fractal.gpuhost.baseline;

import com.fractal.gpuhost.settings.SharingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the workload baseline goes, from the sharing settings, in StackSets' terms. Service-managed StackSets
 * reach accounts only through the organization: OUs by ID (children included), the whole organization by its
 * root, and single accounts as the root filtered to those accounts (INTERSECTION). The build account is taken
 * out of every OU and root target (DIFFERENCE): it has its own network stacks, and a second copy would clash
 * with their group and parameter names.
 *
 * @param organizationalUnitIds the OU IDs of the shared OUs; empty when the whole organization is targeted
 * @param wholeOrganization     true when the root itself is a target
 * @param rootId                the root ID, when known
 * @param accounts              single accounts (shared or copied to), reached through the root
 * @param unreachable           what the settings name that no target reaches (no root ID given)
 */
public record WorkloadTargets(List<String> organizationalUnitIds, boolean wholeOrganization, Optional<String> rootId,
        List<String> accounts, List<String> unreachable) {

    public static WorkloadTargets of(final SharingSettings sharing) {
        Optional<String> rootId = sharing.organizationRootId();
        List<String> unreachable = new ArrayList<>();
        List<String> singleAccounts = new ArrayList<>(sharing.accounts());
        singleAccounts.addAll(sharing.copyToAccounts());
        if (sharing.organization().isPresent()) {
            if (rootId.isPresent()) {
                // The root covers every OU and account: listing them too would make duplicate stack instances.
                return new WorkloadTargets(List.of(), true, rootId, List.of(), List.of());
            }
            unreachable.add("shareWithOrganization");
        }
        List<String> units = sharing.organizationalUnits().stream().map(SharingSettings::organizationalUnitId).toList();
        if (!singleAccounts.isEmpty() && rootId.isEmpty()) {
            unreachable.add("shareWithAccounts/copyToAccounts " + String.join(",", singleAccounts));
            singleAccounts.clear();
        }
        return new WorkloadTargets(units, false, rootId, List.copyOf(singleAccounts), List.copyOf(unreachable));
    }

    public boolean isEmpty() {
        return organizationalUnitIds.isEmpty() && !wholeOrganization && accounts.isEmpty();
    }
}
