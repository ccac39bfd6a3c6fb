package com.fractal.gpuhost.drivers;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A GRID runfile's key in AWS's driver bucket, e.g. {@code grid-19.0/NVIDIA-Linux-x86_64-580.65.06-grid-aws.run}:
 * its GRID release folder and its driver version. The branch is the driver major with the folder's GRID
 * major (R580 is GRID 19); the moving {@code latest/} folder is no branch, so its keys do not parse.
 *
 * @param key     the whole key
 * @param folder  the GRID release folder, e.g. grid-19.0
 * @param version the driver version's numbers, e.g. [580, 65, 6]
 */
public record DriverKey(String key, String folder, List<Integer> version) implements Comparable<DriverKey> {
    private static final Pattern KEY = Pattern.compile(
            "(grid-(\\d+)(?:\\.[0-9x]+)*)/NVIDIA-Linux-x86_64-(\\d+(?:\\.\\d+)+)-grid-aws\\.run");
    private static final Comparator<List<Integer>> BY_VERSION = (a, b) -> {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int order = Integer.compare(i < a.size() ? a.get(i) : 0, i < b.size() ? b.get(i) : 0);
            if (order != 0) {
                return order;
            }
        }
        return 0;
    };

    public DriverKey {
        version = List.copyOf(version);
    }

    /** The key as a driver runfile on a GRID branch; empty for anything else (latest/, checksums, docs). */
    public static Optional<DriverKey> parse(final String key) {
        Matcher matcher = KEY.matcher(key);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        List<Integer> numbers = Pattern.compile("\\.").splitAsStream(matcher.group(3)).map(Integer::valueOf).toList();
        return Optional.of(new DriverKey(key, matcher.group(1), numbers));
    }

    /** The branch this driver belongs to, e.g. "R580 (grid-19)". */
    public String branch() {
        return "R" + version.get(0) + " (" + folder.replaceFirst("^(grid-\\d+).*", "$1") + ")";
    }

    /** The driver version as NVIDIA writes it, e.g. 580.65.06. */
    public String versionText() {
        return key.replaceFirst(".*NVIDIA-Linux-x86_64-(.*)-grid-aws\\.run", "$1");
    }

    public boolean sameBranch(final DriverKey other) {
        return branch().equals(other.branch());
    }

    @Override
    public int compareTo(final DriverKey other) {
        int order = BY_VERSION.compare(version, other.version);
        return order != 0 ? order : key.compareTo(other.key);
    }
}
