package com.fractal.gpuhost.settings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks IPv4 CIDR blocks given for ingress rules. */
final class Cidrs {
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    /** Wider than a /8 is not one office or VPN: treat it as open to the world. */
    private static final int WIDEST_PREFIX = 8;

    private Cidrs() {
    }

    static void check(final String key, final String cidr, final ContextValues values) {
        Matcher match = IPV4_CIDR.matcher(cidr);
        long address = 0;
        boolean wellFormed = match.matches();
        for (int octet = 1; wellFormed && octet <= 4; octet++) {
            int value = Integer.parseInt(match.group(octet));
            wellFormed = value <= 255;
            address = (address << 8) | value;
        }
        int prefix = wellFormed ? Integer.parseInt(match.group(5)) : -1;
        if (!wellFormed || prefix > 32) {
            values.problem(key, cidr, "is not an IPv4 CIDR block; allowed: a block such as 203.0.113.0/24");
        } else if (prefix < WIDEST_PREFIX) {
            values.problem(key, cidr, "is open to the world; allowed: a block of /" + WIDEST_PREFIX
                    + " or narrower, such as your office or VPN (Session Manager needs no SSH at all)");
        } else if ((address & ((1L << (32 - prefix)) - 1)) != 0) {
            values.problem(key, cidr, "has host bits set; allowed: the network address of the block, such as "
                    + "203.0.113.0/24");
        }
    }
}
