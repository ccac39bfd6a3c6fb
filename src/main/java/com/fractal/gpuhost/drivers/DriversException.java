package com.fractal.gpuhost.drivers;

/** A drivers command that cannot go on, with the one line to print and the exit code. */
public class DriversException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Bad arguments: an unknown verb, option or variant. */
    public static final int USAGE = 2;
    /** Refused by a check (a key on another branch, a corrupt runfile, changed bytes) or AWS out of reach. */
    public static final int REFUSED = 1;

    private final int exitCode;

    public DriversException(final int exitCode, final String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public static DriversException usage(final String message) {
        return new DriversException(USAGE, message);
    }

    public static DriversException refused(final String message) {
        return new DriversException(REFUSED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
