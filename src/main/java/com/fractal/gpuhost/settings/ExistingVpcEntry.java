package com.fractal.gpuhost.settings;

import com.fractal.gpuhost.settings.Setting.Boundary;
import com.fractal.gpuhost.settings.Setting.Check;
import com.fractal.gpuhost.settings.Setting.Field;
import com.fractal.gpuhost.settings.Setting.Refusal;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of `existingVpcs`, declared field by field with its checks; the entry's name is its region.
 * Whether that region is active is a relation between settings, which the loader checks.
 */
final class ExistingVpcEntry {
    /** The host network spreads over two availability zones at least. */
    static final int MIN_SUBNETS = 2;
    private static final String ID_ALLOWED = " and " + AllowedValues.ID_DIGITS_ALLOWED;

    static final Field VPC_ID = new Field("vpcId", "…", Check.matches(AllowedValues.VPC_ID, "is not a VPC ID"),
            "vpc-" + ID_ALLOWED);
    static final Field SUBNET_IDS = new Field("subnetIds", "[…]",
            Check.matches(AllowedValues.SUBNET_ID, "is not a subnet ID"), "subnet-" + ID_ALLOWED);
    /** Each zone must be of the entry's region, which only the entry shows. */
    static final Field AVAILABILITY_ZONES = new Field("availabilityZones", "[…]", Check.none(),
            "availability zones of the entry's region, such as us-east-1a");
    static final String SUBNET_COUNT_ALLOWED = "at least " + MIN_SUBNETS + " public subnets";
    private static final String ZONE_COUNT_ALLOWED = "one availability zone per subnet, in the same order";

    static final List<Field> FIELDS = List.of(VPC_ID, SUBNET_IDS, AVAILABILITY_ZONES);
    /** The allowed text of `existingVpcs`, from the declared fields and the subnet count. */
    static final String ALLOWED = "per active region, " + Field.shapeOf(FIELDS) + " with " + SUBNET_COUNT_ALLOWED
            + ", " + ZONE_COUNT_ALLOWED;

    private ExistingVpcEntry() {
    }

    /** The declared check of one entry: each field's own, then the counts and zones only the entry shows. */
    static ExistingVpc read(final EntryFields entry) {
        String region = entry.name();
        String vpcId = entry.text(VPC_ID);
        List<String> subnets = entry.list(SUBNET_IDS);
        List<String> zones = entry.list(AVAILABILITY_ZONES);
        zones.stream().filter(zone -> !zone.startsWith(region)).forEach(zone -> entry.refuse(AVAILABILITY_ZONES,
                zone, "is not an availability zone of " + region, region + "a, " + region + "b, ..."));
        if (!subnets.isEmpty() && subnets.size() < MIN_SUBNETS) {
            entry.refuse(SUBNET_IDS, subnets, "is too few", SUBNET_COUNT_ALLOWED);
        } else if (!subnets.isEmpty() && !zones.isEmpty() && subnets.size() != zones.size()) {
            entry.refuse(AVAILABILITY_ZONES, zones, "does not match " + SUBNET_IDS.name(), ZONE_COUNT_ALLOWED);
        }
        return new ExistingVpc(vpcId, subnets, zones);
    }

    /**
     * In us-east-1 (active by default): the fewest subnets allowed, and VPC IDs of each allowed length, are
     * accepted; one subnet fewer, and an ID a digit shorter or longer, are refused at their key path.
     */
    static List<Boundary> boundaries(final String key) {
        List<String> fewest = new ArrayList<>();
        for (int i = 1; i <= MIN_SUBNETS; i++) {
            fewest.add(String.format("subnet-%08x", i));
        }
        String path = key + ".us-east-1.";
        String shortId = "vpc-" + "a".repeat(AllowedValues.SHORT_ID_DIGITS);
        String longId = "vpc-" + "b".repeat(AllowedValues.LONG_ID_DIGITS);
        String shortOfShort = shortId.substring(0, shortId.length() - 1);
        List<String> tooFew = fewest.subList(0, MIN_SUBNETS - 1);
        return List.of(Boundary.at(inUsEast1(shortId, fewest)), Boundary.at(inUsEast1(longId, fewest)),
                Boundary.past(inUsEast1(shortId, tooFew), new Refusal(path + SUBNET_IDS.name(),
                        String.valueOf(tooFew), SUBNET_COUNT_ALLOWED)),
                Boundary.past(inUsEast1(shortOfShort, fewest), refusedId(path, shortOfShort)),
                Boundary.past(inUsEast1(longId + "b", fewest), refusedId(path, longId + "b")));
    }

    private static Refusal refusedId(final String path, final String id) {
        return new Refusal(path + VPC_ID.name(), "\"" + id + "\"", VPC_ID.allowed());
    }

    /** existingVpcs as -c gives it: one VPC in us-east-1, its subnets in zones a, b, c, ... in order. */
    private static String inUsEast1(final String vpcId, final List<String> subnets) {
        List<String> zones = new ArrayList<>();
        for (int i = 0; i < subnets.size(); i++) {
            zones.add("\"us-east-1" + (char) ('a' + i) + "\"");
        }
        return "{\"us-east-1\": {\"vpcId\": \"" + vpcId + "\", \"subnetIds\": [\"" + String.join("\", \"", subnets)
                + "\"], \"availabilityZones\": [" + String.join(", ", zones) + "]}}";
    }
}
