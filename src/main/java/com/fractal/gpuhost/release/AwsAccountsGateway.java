package com.fractal.gpuhost.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fractal.gpuhost.release.ReleaseGateway.GatewayException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/**
 * The accounts gateway on AWS: STS (the SDK's client, AWS_ENDPOINT_URL honoured by the SDK) for the build
 * account and the role assumed in each workload account; AWS Organizations' read APIs as signed JSON requests
 * through the SDK's own SigV4 signer and HTTP client (its Organizations client is not among the modules this
 * build can get), sent to AWS_ENDPOINT_URL when it is set, as every SDK client does.
 */
public final class AwsAccountsGateway implements AccountsGateway {
    /** Organizations is a global service, served from us-east-1 in the aws partition. */
    private static final String ORGANIZATIONS_REGION = "us-east-1";
    private static final String ORGANIZATIONS_ENDPOINT = "https://organizations." + ORGANIZATIONS_REGION + ".amazonaws.com";
    private static final String TARGET_PREFIX = "AWSOrganizationsV20161128.";
    private static final String SESSION_NAME = "fractal-release";

    private final ObjectMapper json = new ObjectMapper();
    private final AwsCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
    private final StsClient sts;
    private Optional<GetCallerIdentityResponse> caller = Optional.empty();

    /** STS in the build region: regional endpoints, and the one an emulator serves. */
    public AwsAccountsGateway(final String buildRegion) {
        this.sts = StsClient.builder().region(Region.of(buildRegion)).httpClient(AwsReleaseGateway.HTTP)
                .credentialsProvider(credentials).build();
    }

    @Override
    public String callerAccount() {
        return identity().account();
    }

    private GetCallerIdentityResponse identity() {
        if (caller.isEmpty()) {
            caller = Optional.of(AwsReleaseGateway.attempt("sts", "reading the build account's identity",
                    () -> sts.getCallerIdentity()));
        }
        return caller.get();
    }

    @Override
    public ReleaseGateway assume(final String account, final String roleName) {
        String partition = identity().arn().split(":")[1];
        String roleArn = "arn:" + partition + ":iam::" + account + ":role/" + roleName;
        StsAssumeRoleCredentialsProvider role = StsAssumeRoleCredentialsProvider.builder().stsClient(sts)
                .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(SESSION_NAME))
                .asyncCredentialUpdateEnabled(false).build();
        // Assumed now, so that a missing or untrusting role stops the release before anything is written.
        AwsReleaseGateway.attempt("sts", "assuming " + roleArn, role::resolveCredentials);
        return new AwsReleaseGateway(Optional.of(role), account + " ");
    }

    @Override
    public String managementAccount() {
        return call("DescribeOrganization", body -> { }).path("Organization").path("MasterAccountId").asText();
    }

    @Override
    public List<String> accountsUnder(final String organizationalUnitId) {
        List<String> accounts = new ArrayList<>();
        Deque<String> units = new ArrayDeque<>(List.of(organizationalUnitId));
        while (!units.isEmpty()) {
            String unit = units.pop();
            pages("ListAccountsForParent", body -> body.put("ParentId", unit), "Accounts")
                    .forEach(account -> active(account).ifPresent(accounts::add));
            pages("ListOrganizationalUnitsForParent", body -> body.put("ParentId", unit), "OrganizationalUnits")
                    .forEach(child -> units.add(child.path("Id").asText()));
        }
        return accounts;
    }

    @Override
    public List<String> organizationAccounts() {
        List<String> accounts = new ArrayList<>();
        pages("ListAccounts", body -> { }, "Accounts").forEach(account -> active(account).ifPresent(accounts::add));
        return accounts;
    }

    /** The account's ID when it is active (State, or the older Status, is ACTIVE): a suspended one reads nothing. */
    private static Optional<String> active(final JsonNode account) {
        String state = account.path("State").asText(account.path("Status").asText());
        return "ACTIVE".equals(state) ? Optional.of(account.path("Id").asText()) : Optional.empty();
    }

    /** Every item of a listing, following NextToken. */
    private List<JsonNode> pages(final String operation, final Consumer<ObjectNode> request, final String items) {
        List<JsonNode> all = new ArrayList<>();
        String token = null;
        do {
            String next = token;
            JsonNode page = call(operation, body -> {
                request.accept(body);
                if (next != null) {
                    body.put("NextToken", next);
                }
            });
            page.path(items).forEach(all::add);
            token = page.hasNonNull("NextToken") ? page.get("NextToken").asText() : null;
        } while (token != null);
        return all;
    }

    /** One Organizations call (JSON 1.1, SigV4); a refusal or an unreachable endpoint is one line. */
    private JsonNode call(final String operation, final Consumer<ObjectNode> request) {
        ObjectNode body = json.createObjectNode();
        request.accept(body);
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        String endpoint = Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL_ORGANIZATIONS"))
                .or(() -> Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL"))).orElse(ORGANIZATIONS_ENDPOINT);
        String what = "organizations: " + operation;
        SignedRequest signed = AwsReleaseGateway.attempt("organizations", "signing " + operation, () -> AwsV4HttpSigner
                .create().sign(r -> r.identity(credentials.resolveCredentials())
                        .request(SdkHttpFullRequest.builder().method(SdkHttpMethod.POST).uri(URI.create(endpoint))
                                .putHeader("Content-Type", "application/x-amz-json-1.1")
                                .putHeader("X-Amz-Target", TARGET_PREFIX + operation)
                                .putHeader("Content-Length", String.valueOf(payload.length)).build())
                        .payload(ContentStreamProvider.fromByteArray(payload))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, ORGANIZATIONS_REGION)));
        try {
            HttpExecuteResponse response = AwsReleaseGateway.HTTP.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request()).contentStreamProvider(signed.payload()
                            .orElse(() -> new ByteArrayInputStream(payload))).build()).call();
            JsonNode answer;
            try (InputStream stream = response.responseBody().map(InputStream.class::cast)
                    .orElseGet(() -> new ByteArrayInputStream(new byte[0]))) {
                byte[] bytes = stream.readAllBytes();
                answer = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
            }
            if (!response.httpResponse().isSuccessful()) {
                String type = answer.path("__type").asText(String.valueOf(response.httpResponse().statusCode()));
                throw new GatewayException(what + ": " + type.substring(type.indexOf('#') + 1) + ": "
                        + answer.path("message").asText(answer.path("Message").asText("")).lines().findFirst()
                                .orElse(""));
            }
            return answer;
        } catch (IOException e) {
            throw new GatewayException(what + ": cannot reach AWS at " + endpoint + " (" + e.getMessage() + ")");
        }
    }
}
