package com.fractal.gpuhost.drivers;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The S3 calls the drivers command makes: AWS's driver bucket read anonymously, the project's mirror with
 * the caller's credentials. An interface, so the commands can be tested with an in-memory fake. Every
 * method throws {@link DriverGatewayException} (one line, no stack trace) when AWS refuses or is out of reach.
 */
public interface DriverGateway {

    /** An object as a listing or a head request sees it. */
    record StoredObject(String key, long size, String etag, Map<String, String> metadata) {
        public StoredObject {
            metadata = Map.copyOf(metadata);
        }
    }

    /** Every object of AWS's driver bucket (anonymous read). */
    List<StoredObject> listUpstream(String bucket);

    /** One upstream object, empty when the key does not exist. */
    Optional<StoredObject> headUpstream(String bucket, String key);

    /** Downloads an upstream object into a file, reporting the bytes received so far. */
    void downloadUpstream(String bucket, String key, Path file, LongConsumer progress);

    /** The build account's ID, which names the mirror bucket. */
    String account();

    /** Whether the mirror bucket exists and the caller may use it. */
    boolean mirrorExists(String bucket);

    /** One mirror object, empty when the key does not exist. */
    Optional<StoredObject> headMirror(String bucket, String key);

    /**
     * Uploads a file into the mirror with its metadata; S3 checks the bytes against the given SHA-256 (base64
     * in the request, hex here). Returns the stored object.
     */
    StoredObject putMirror(String bucket, String key, Path file, String sha256Hex, Map<String, String> metadata,
            LongConsumer progress);

    /** A failed AWS call, said in one line. */
    class DriverGatewayException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public DriverGatewayException(final String message) {
            super(message);
        }
    }
}
