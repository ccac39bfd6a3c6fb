package com.fractal.gpuhost.release;

/** A release that cannot go on, with the one line to print and the exit code. */
public class ReleaseException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Bad arguments or a missing settings file. */
    public static final int USAGE = 2;
    /** A release refused by its checks, or failed (and put back), or AWS out of reach. */
    public static final int FAILED = 1;

    private final int exitCode;

    public ReleaseException(final int exitCode, final String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public static ReleaseException usage(final String message) {
        return new ReleaseException(USAGE, message);
    }

    public static ReleaseException failed(final String message) {
        return new ReleaseException(FAILED, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
