package com.fractal.gpuhost.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Template values rendered for people. */
class IntrinsicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PARAMETERS = """
            {"Subnets": {"Type": "AWS::SSM::Parameter::Value<List<String>>", "Default": "/fractal/network/public-subnet-ids"},
             "Size": {"Type": "Number", "Default": 32}}
            """;

    private static String render(final String json) throws Exception {
        JsonNode parameters = JSON.readTree(PARAMETERS);
        return Intrinsics.render(JSON.readTree(json), parameters);
    }

    @Test
    void refsAttributesAndParameters() throws Exception {
        assertEquals("{Ref: HostVpc}", render("{\"Ref\": \"HostVpc\"}"));
        assertEquals("${AWS::AccountId}", render("{\"Ref\": \"AWS::AccountId\"}"));
        assertEquals("ssm:/fractal/network/public-subnet-ids", render("{\"Ref\": \"Subnets\"}"));
        assertEquals("{Ref: Size (default 32)}", render("{\"Ref\": \"Size\"}"));
        assertEquals("{GetAtt: Bucket.Arn}", render("{\"Fn::GetAtt\": [\"Bucket\", \"Arn\"]}"));
    }

    @Test
    void joinSubAndSelect() throws Exception {
        assertEquals("arn:${AWS::Partition}:s3:::{Ref: Bucket}/*",
                render("{\"Fn::Join\": [\"\", [\"arn:\", {\"Ref\": \"AWS::Partition\"}, \":s3:::\", {\"Ref\": \"Bucket\"}, \"/*\"]]}"));
        assertEquals("s3://assets-${AWS::AccountId}/x.zip", render("{\"Fn::Sub\": \"s3://assets-${AWS::AccountId}/x.zip\"}"));
        assertEquals("role/{GetAtt: Role.Arn}-${AWS::Region}",
                render("{\"Fn::Sub\": [\"role/${R}-${AWS::Region}\", {\"R\": {\"Fn::GetAtt\": [\"Role\", \"Arn\"]}}]}"));
        assertEquals("{Select: 0 of ssm:/fractal/network/public-subnet-ids}",
                render("{\"Fn::Select\": [0, {\"Ref\": \"Subnets\"}]}"));
        assertEquals("b", render("{\"Fn::Select\": [\"1\", [\"a\", \"b\"]]}"));
        assertEquals("{ImportValue: Shared-VpcId}", render("{\"Fn::ImportValue\": \"Shared-VpcId\"}"));
    }
}
