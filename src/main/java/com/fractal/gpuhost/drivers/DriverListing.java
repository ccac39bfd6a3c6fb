package com.fractal.gpuhost.drivers;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code list}: AWS's GRID runfiles by branch, each marked with the variants that pin it and the variants
 * whose pin it is newer than; then one line per variant. With {@code --newer}, only "VARIANT KEY" for each
 * variant with a newer driver on its branch, for scripts (the weekly workflow).
 */
final class DriverListing {
    private final UpstreamBucket bucket;
    private final VariantPins pins;
    private final UpstreamDrivers drivers;

    DriverListing(final UpstreamBucket bucket, final VariantPins pins, final UpstreamDrivers drivers) {
        this.bucket = bucket;
        this.pins = pins;
        this.drivers = drivers;
    }

    void print(final PrintStream out) {
        out.println("GRID drivers in " + bucket + ", by branch (only grid-NN.N/ folders at its root: latest/ is no branch):");
        drivers.byBranch().forEach((branch, keys) -> {
            out.println(branch);
            for (DriverKey key : keys) {
                long size = drivers.object(key.key()).orElseThrow().size();
                out.println(String.format(Locale.ROOT, "  %-62s %8s  %s", key.key(), mebibytes(size), marks(key)).stripTrailing());
            }
        });
        out.println("variants:");
        for (VariantPin pin : pins.pins().values()) {
            out.println("  " + pin.variant() + ": " + summary(pin));
        }
    }

    void printNewer(final PrintStream out) {
        for (VariantPin pin : pins.pins().values()) {
            drivers.newest(pin.key().branch()).filter(newest -> newest.compareTo(pin.key()) > 0)
                    .ifPresent(newest -> out.println(pin.variant() + " " + newest.key()));
        }
    }

    private String marks(final DriverKey key) {
        List<String> marks = new ArrayList<>();
        for (VariantPin pin : pins.pins().values()) {
            if (pin.key().key().equals(key.key())) {
                marks.add("pinned by " + pin.variant() + (pin.sha256().isPresent() ? "" : " (unqualified)"));
            } else if (pin.key().sameBranch(key) && key.compareTo(pin.key()) > 0) {
                marks.add("newer than " + pin.variant() + "'s pin");
            }
        }
        return String.join("; ", marks);
    }

    private String summary(final VariantPin pin) {
        String pinned = "pins " + pin.key().key() + " (" + pin.key().branch() + ", "
                + pin.sha256().map(sha -> "SHA-256 " + sha).orElse("unqualified") + ")";
        if (drivers.object(pin.key().key()).isEmpty()) {
            pinned += "; NOT in the bucket any more (the mirror keeps it once qualified)";
        }
        List<DriverKey> newer = drivers.newerThan(pin.key());
        return pinned + (newer.isEmpty() ? "; nothing newer on its branch"
                : "; newer on its branch: " + String.join(", ", newer.stream().map(DriverKey::versionText).toList())
                        + " (npm run drivers -- qualify --variant " + pin.variant() + ")");
    }

    static String mebibytes(final long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
