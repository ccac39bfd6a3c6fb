package com.fractal.gpuhost.release;

import com.fractal.gpuhost.release.ReleaseGateway.GatewayException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An organization in memory: OUs with their accounts and child OUs, a management account, and one
 * {@link InMemoryGateway} per workload account, reached as the release command reaches it (by assuming its role).
 */
final class InMemoryAccounts implements AccountsGateway {
    final String build;
    final String management;
    final Map<String, List<String>> accountsByUnit = new LinkedHashMap<>();
    final Map<String, List<String>> childUnits = new LinkedHashMap<>();
    final Map<String, InMemoryGateway> accounts = new LinkedHashMap<>();
    /** Accounts whose role is missing or does not trust the build account. */
    final Set<String> unassumable = new HashSet<>();
    /** Every role assumed, as "account/role". */
    final List<String> assumed = new ArrayList<>();

    InMemoryAccounts(final String build, final String management) {
        this.build = build;
        this.management = management;
    }

    /** An account in an OU (its ID), with its own empty AWS. */
    InMemoryGateway member(final String unit, final String account) {
        accountsByUnit.computeIfAbsent(unit, u -> new ArrayList<>()).add(account);
        return accounts.computeIfAbsent(account, a -> new InMemoryGateway());
    }

    void child(final String parent, final String unit) {
        childUnits.computeIfAbsent(parent, p -> new ArrayList<>()).add(unit);
    }

    @Override
    public String callerAccount() {
        return build;
    }

    @Override
    public String managementAccount() {
        return management;
    }

    @Override
    public List<String> accountsUnder(final String unit) {
        List<String> found = new ArrayList<>(accountsByUnit.getOrDefault(unit, List.of()));
        childUnits.getOrDefault(unit, List.of()).forEach(child -> found.addAll(accountsUnder(child)));
        return found;
    }

    @Override
    public List<String> organizationAccounts() {
        List<String> all = new ArrayList<>(List.of(management, build));
        accountsByUnit.values().forEach(all::addAll);
        return all;
    }

    @Override
    public ReleaseGateway assume(final String account, final String roleName) {
        if (unassumable.contains(account) || !accounts.containsKey(account)) {
            throw new GatewayException("sts: assuming arn:aws:iam::" + account + ":role/" + roleName
                    + ": AccessDenied: not authorized to perform sts:AssumeRole");
        }
        assumed.add(account + "/" + roleName);
        return accounts.get(account);
    }
}
