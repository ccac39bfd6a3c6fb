package com.fractal.gpuhost.sharing;

import com.fractal.gpuhost.ProjectKeys;
import com.fractal.gpuhost.settings.SharingSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IPrincipal;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Alias;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The customer-managed key that encrypts the AMIs' snapshots in one region, under an alias every region
 * shares. AWS does not let other accounts launch an AMI encrypted with the AWS-managed EBS key; this key's
 * policy lets exactly the shared accounts, OUs or organization (and the accounts that get copies) use it:
 * decrypt, re-encrypt and make the data keys a launch needs, and create grants only for AWS resources (EC2
 * creating their volumes). The build account keeps the key policy's default: its IAM policies decide, so
 * Image Builder's service-linked role encrypts and copies with it.
 */
public final class AmiSnapshotKey extends Construct {
    /** What a consumer's EC2 does with the key when it launches the AMI or copies it. */
    static final List<String> USE_ACTIONS = List.of("kms:Decrypt", "kms:DescribeKey", "kms:ReEncryptFrom",
            "kms:ReEncryptTo", "kms:GenerateDataKeyWithoutPlaintext");

    private final Key key;

    public AmiSnapshotKey(final Construct scope, final String id, final String aliasName,
            final SharingSettings sharing) {
        super(scope, id);
        key = ProjectKeys.create(this, "Key", "Encrypts the GPU host AMIs' snapshots in this region so that the "
                + "accounts they are shared with can launch them");
        Alias.Builder.create(this, "Alias").aliasName(aliasName).targetKey(key).build();
        List<String> accounts = new ArrayList<>(sharing.accounts());
        accounts.addAll(sharing.copyToAccounts());
        if (!accounts.isEmpty()) {
            List<IPrincipal> principals = accounts.stream().<IPrincipal>map(AccountPrincipal::new).toList();
            allow("SharedAccounts", principals, Map.of());
        }
        sharing.organization().ifPresent(org -> allow("SharedOrganization", List.of(new AnyPrincipal()),
                Map.of("StringEquals", Map.of("aws:PrincipalOrgID", SharingSettings.organizationId(org)))));
        if (!sharing.organizationalUnits().isEmpty()) {
            // An account's org path is o-id/r-root/ou-parent/.../ou-id/account/: "*" spans the root and parents.
            List<String> paths = sharing.organizationalUnits().stream()
                    .map(ou -> SharingSettings.organizationId(ou) + "/*/" + SharingSettings.organizationalUnitId(ou)
                            + "/*")
                    .toList();
            allow("SharedOrganizationalUnits", List.of(new AnyPrincipal()),
                    Map.of("ForAnyValue:StringLike", Map.of("aws:PrincipalOrgPaths", paths)));
        }
    }

    /** Two statements for these principals: use the key, and create grants for AWS resources only. */
    private void allow(final String sid, final List<IPrincipal> principals, final Map<String, Object> conditions) {
        key.addToResourcePolicy(PolicyStatement.Builder.create().sid("LaunchBy" + sid).effect(Effect.ALLOW)
                .principals(principals).actions(USE_ACTIONS).resources(List.of("*")).conditions(conditions).build());
        Map<String, Object> grantConditions = new java.util.LinkedHashMap<>(conditions);
        grantConditions.put("Bool", Map.of("kms:GrantIsForAWSResource", "true"));
        key.addToResourcePolicy(PolicyStatement.Builder.create().sid("GrantsForAwsResourcesBy" + sid)
                .effect(Effect.ALLOW).principals(principals).actions(List.of("kms:CreateGrant"))
                .resources(List.of("*")).conditions(grantConditions).build());
    }

    /**
     * The full ARN of the alias in a region of the stack's account: known without a lookup and without a
     * cross-region reference, so the pipeline in the build region can name every region's key.
     */
    public static String aliasArn(final Construct scope, final String region, final String aliasName) {
        return Stack.of(scope).formatArn(ArnComponents.builder().service("kms").region(region)
                .resource(aliasName.substring(0, aliasName.indexOf('/')))
                .resourceName(aliasName.substring(aliasName.indexOf('/') + 1))
                .arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build());
    }

    public Key key() {
        return key;
    }
}
