package com.fractal.gpuhost.release;

import java.util.List;

/**
 * The AWS calls that find the workload accounts and act in them: STS for the build account's own ID and the
 * role in each workload account, AWS Organizations' read APIs for the accounts of an OU or the organization
 * (the build account is the delegated administrator, so it may read them). Every method throws
 * {@link ReleaseGateway.GatewayException} (one line) when AWS refuses or cannot be reached.
 */
public interface AccountsGateway {

    /** The account of the command's own credentials: the build account. */
    String callerAccount();

    /** The organization's management account, where StackSets never deploy the workload baseline. */
    String managementAccount();

    /** The active accounts of an OU (its ID, ou-...) and of every OU below it. */
    List<String> accountsUnder(String organizationalUnitId);

    /** Every active account of the organization. */
    List<String> organizationAccounts();

    /** A gateway acting in that account through the role of that name; fails when the role cannot be assumed. */
    ReleaseGateway assume(String account, String roleName);
}
