package com.fractal.gpuhost.settings;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses "from-to" port ranges. */
final class PortRanges {
    private static final Pattern RANGE = Pattern.compile("(\\d{1,5})-(\\d{1,5})");
    /** Below this are the well-known and registered service ports, never the ECS host-port range. */
    private static final int LOWEST_DYNAMIC_PORT = 1024;
    private static final int HIGHEST_PORT = 65535;

    private PortRanges() {
    }

    static PortRange parse(final ContextValues values, final Setting<String> setting) {
        String key = setting.key();
        String text = setting.read(values);
        if (text.isEmpty()) {
            return new PortRange(LOWEST_DYNAMIC_PORT, HIGHEST_PORT);
        }
        Matcher match = RANGE.matcher(text);
        if (match.matches()) {
            int from = Integer.parseInt(match.group(1));
            int to = Integer.parseInt(match.group(2));
            if (from >= LOWEST_DYNAMIC_PORT && from <= to && to <= HIGHEST_PORT) {
                return new PortRange(from, to);
            }
        }
        values.problem(key, text, "is not allowed; allowed: a port range FROM-TO with "
                + LOWEST_DYNAMIC_PORT + " <= FROM <= TO <= " + HIGHEST_PORT + ", such as 32768-65535");
        return new PortRange(LOWEST_DYNAMIC_PORT, HIGHEST_PORT);
    }
}
