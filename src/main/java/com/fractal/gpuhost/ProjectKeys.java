package com.fractal.gpuhost;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The project's customer-managed KMS keys: rotated yearly, and grants only for AWS services acting for an AWS
 * resource (AWS Control Tower's CT.KMS.PR.3), so no principal can hand the key's use on with a grant.
 */
public final class ProjectKeys {
    private ProjectKeys() {
    }

    public static Key create(final Construct scope, final String id, final String description) {
        Key key = Key.Builder.create(scope, id).description(description).enableKeyRotation(true).build();
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("GrantsOnlyForAwsServices")
                .effect(Effect.DENY)
                .principals(List.of(new AnyPrincipal()))
                .actions(List.of("kms:CreateGrant"))
                .resources(List.of("*"))
                .conditions(Map.of("BoolIfExists", grantGuard()))
                .build());
        return key;
    }

    /** In a fixed order: Map.of's order changes from one JVM to the next, and with it the template's bytes. */
    private static Map<String, String> grantGuard() {
        Map<String, String> guard = new LinkedHashMap<>();
        guard.put("aws:PrincipalIsAWSService", "false");
        guard.put("kms:GrantIsForAWSResource", "false");
        return guard;
    }
}
