package com.fractal.gpuhost.settings;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The check of an IPv4 CIDR block given for an ingress rule. */
final class Cidrs {
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

    private Cidrs() {
    }

    /**
     * A well-formed block, given as its network address, no wider than /widestPrefix: a wider one is not one
     * office or VPN, so it counts as open to the world.
     */
    static Setting.Check<String> check(final int widestPrefix) {
        return cidr -> {
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
                return Optional.of("is not an IPv4 CIDR block");
            }
            if (prefix < widestPrefix) {
                return Optional.of("is open to the world");
            }
            if ((address & ((1L << (32 - prefix)) - 1)) != 0) {
                return Optional.of("has host bits set");
            }
            return Optional.empty();
        };
    }
}
