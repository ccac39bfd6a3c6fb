package com.fractal.gpuhost.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fractal.gpuhost.TestApps;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report groups what the seven network stacks share and keeps what one region does differently: here
 * us-east-1 uses an existing VPC (the same settings as NetworkStackTest's, so the synthesis is shared), so its
 * network stack has no VPC, subnets or flow logs of its own and its security groups sit in that VPC.
 */
class RegionGroupingTest {
    private static final String OTHER_SIX = "6 regions: us-east-2, us-west-1, us-west-2, ca-central-1, eu-west-1, "
            + "eu-central-1";
    private static String markdown;

    @BeforeAll
    static void synthesize() {
        Path assembly = Path.of(TestApps.synthesize(Map.of("existingVpcs", Map.of("us-east-1", Map.of(
                "vpcId", "vpc-0123abcd", "subnetIds", List.of("subnet-0123abcd", "subnet-4567abcd"),
                "availabilityZones", List.of("us-east-1a", "us-east-1b"))))).assembly().getDirectory());
        markdown = AuditReport.of(assembly).markdown();
    }

    @Test
    void theRegionThatDiffersIsShownOnItsOwnAndTheOthersOnce() {
        assertEquals(1, count("\n### FractalNetwork-&lt;region> (" + OTHER_SIX + ")\n"), "the six new VPCs' counts");
        assertEquals(1, count("\n### FractalNetwork-&lt;region> (us-east-1)\n"), "the existing VPC's counts");
        int own = markdown.indexOf("\n### FractalNetwork-&lt;region> (us-east-1)\n");
        String counts = markdown.substring(own, markdown.indexOf("\n### ", own + 1));
        assertFalse(counts.contains("AWS::EC2::VPC"), counts);
        assertTrue(counts.contains("| `AWS::EC2::SecurityGroup` | 3 |"), counts);
        assertTrue(markdown.contains("### FractalNetwork-&lt;region> / container-testing (us-east-1)\n\n"
                + "Engineer dev instances"), "its security group is in the existing VPC");
        assertTrue(markdown.contains("(resource SecurityGroupsContainerTesting55434248, VPC vpc-0123abcd)"));
        assertTrue(markdown.contains("### FractalNetwork-&lt;region> / container-testing (" + OTHER_SIX + ")\n"));
    }

    @Test
    void whatEveryRegionSharesIsOneRowForAllSevenRegions() {
        assertTrue(markdown.contains("| `AwsSolutions-EC23` | FractalNetwork-&lt;region> | all 7 regions | "
                + "`SecurityGroupsContainerTesting55434248` | `FractalNetwork-<region>/SecurityGroups/ContainerTesting/Resource` |"),
                "a flag raised in every region is one row");
        assertEquals(0, count("| FractalNetwork-us-"), "no row names one network stack");
    }

    @Test
    void everyRegionIsStillNamedInEachGroupedTable() {
        int stacks = markdown.indexOf("\n## Stacks\n");
        String table = markdown.substring(stacks, markdown.indexOf("\n### ", stacks));
        assertTrue(table.contains("| `FractalNetwork-<region>` | us-east-1 |"), table);
        assertTrue(table.contains("| `FractalNetwork-<region>` | " + OTHER_SIX + " |"), table);
    }

    private static int count(final String text) {
        int n = 0;
        for (int i = markdown.indexOf(text); i >= 0; i = markdown.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }
}
