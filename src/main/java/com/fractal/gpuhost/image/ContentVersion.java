package com.fractal.gpuhost.image;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A semantic version derived from content. Image Builder components and recipes are immutable, so
 * changed content needs a new version; deriving it from a hash gives a new one exactly when the content
 * changes, and the same one otherwise, so a deploy never collides with an existing version.
 */
final class ContentVersion {
    /** Image Builder allows each version part up to 2^30 - 1. */
    private static final int PART_BITS = 30;
    private static final int PART_MASK = (1 << PART_BITS) - 1;

    private ContentVersion() {
    }

    /** "1.MINOR.PATCH", with MINOR and PATCH taken from the SHA-256 of the parts. */
    static String of(final String... parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
            }
            byte[] hash = sha.digest();
            return "1." + (toInt(hash, 0) & PART_MASK) + "." + (toInt(hash, 4) & PART_MASK);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private static int toInt(final byte[] bytes, final int offset) {
        return ((bytes[offset] & 0xff) << 24) | ((bytes[offset + 1] & 0xff) << 16)
                | ((bytes[offset + 2] & 0xff) << 8) | (bytes[offset + 3] & 0xff);
    }
}
