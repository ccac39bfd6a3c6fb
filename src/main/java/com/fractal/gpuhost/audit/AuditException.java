package com.fractal.gpuhost.audit;

/** A problem with the input of the audit report (a missing or malformed assembly), told in one sentence. */
public final class AuditException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AuditException(final String message) {
        super(message);
    }
}
