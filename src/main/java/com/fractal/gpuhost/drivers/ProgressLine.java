package com.fractal.gpuhost.drivers;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * A progress line while a large file copies: one line at each tenth of the file, so a log shows it moving
 * without a line per buffer. Small files copy without one.
 */
final class ProgressLine implements LongConsumer {
    /** Below this size a copy takes a moment: no progress lines. */
    static final long LARGE_FILE_BYTES = 8L * 1024 * 1024;
    private static final int STEPS = 10;

    private final PrintStream out;
    private final String what;
    private final long total;
    private int printedSteps;

    ProgressLine(final PrintStream out, final String what, final long total) {
        this.out = out;
        this.what = what;
        this.total = total;
    }

    @Override
    public void accept(final long bytesSoFar) {
        if (total < LARGE_FILE_BYTES) {
            return;
        }
        int step = (int) Math.min(STEPS, bytesSoFar * STEPS / total);
        if (step > printedSteps) {
            printedSteps = step;
            out.println(String.format(Locale.ROOT, "  %s: %s of %s (%d%%)", what,
                    DriverListing.mebibytes(bytesSoFar), DriverListing.mebibytes(total), step * 100 / STEPS));
        }
    }
}
