package com.fractal.gpuhost.settings;

import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awscdk.regioninfo.RegionInfo;

/** What the settings may hold: the one place these lists and patterns are written. */
public final class AllowedValues {
    /** Smallest root volume that holds the driver, Docker and the container images. */
    public static final int MIN_ROOT_VOLUME_GIB = 32;
    /** The largest gp3 volume. */
    public static final int MAX_ROOT_VOLUME_GIB = 16384;

    /** An SSM parameter path: starts with '/', no trailing '/', and not in AWS's reserved namespaces. */
    public static final Pattern SSM_PATH = Pattern.compile("(/[a-zA-Z0-9_.-]+)+");

    /** EC2 resource IDs: the prefix and 8 hex digits (older resources) or 17 (newer ones), nothing between. */
    static final int SHORT_ID_DIGITS = 8;
    static final int LONG_ID_DIGITS = 17;
    static final String ID_DIGITS_ALLOWED = SHORT_ID_DIGITS + " or " + LONG_ID_DIGITS + " hex digits";
    public static final Pattern VPC_ID = ec2Id("vpc-");
    public static final Pattern SUBNET_ID = ec2Id("subnet-");
    public static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
    /** An organization's ARN, as Organizations writes it: the management account and the organization's ID. */
    public static final Pattern ORGANIZATION_ARN =
            Pattern.compile("arn:aws:organizations::[0-9]{12}:organization/o-[a-z0-9]{10,32}");
    /** An organizational unit's ARN: the management account, the organization's ID and the OU's ID. */
    public static final Pattern ORGANIZATIONAL_UNIT_ARN =
            Pattern.compile("arn:aws:organizations::[0-9]{12}:ou/o-[a-z0-9]{10,32}/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}");
    /** An organization's root ID, where StackSets targets the whole organization (aws organizations list-roots). */
    public static final Pattern ORGANIZATION_ROOT_ID = Pattern.compile("r-[0-9a-z]{4,32}");

    private AllowedValues() {
    }

    private static Pattern ec2Id(final String prefix) {
        return Pattern.compile(prefix + "[0-9a-f]{" + SHORT_ID_DIGITS + "}([0-9a-f]{"
                + (LONG_ID_DIGITS - SHORT_ID_DIGITS) + "})?");
    }

    /** Every region of the commercial partition that this aws-cdk-lib knows. */
    public static List<String> commercialRegions() {
        return RegionInfo.getRegions().stream()
                .filter(region -> "aws".equals(region.getPartition()))
                .map(RegionInfo::getName)
                .sorted()
                .toList();
    }
}
