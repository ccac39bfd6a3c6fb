package com.fractal.gpuhost.drivers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongConsumer;

/** AWS's driver bucket and the mirror in memory, with the calls that changed something counted. */
final class InMemoryDriverGateway implements DriverGateway {
    record Stored(byte[] bytes, String etag, Map<String, String> metadata) {
    }

    final Map<String, Stored> upstream = new LinkedHashMap<>();
    final Map<String, Stored> mirror = new LinkedHashMap<>();
    final Set<String> mirrorBuckets = new HashSet<>();
    final List<String> puts = new ArrayList<>();
    int downloads;
    boolean unreachable;
    private int etags;

    void putUpstream(final String key, final byte[] bytes) {
        upstream.put(key, new Stored(bytes, "\"etag-" + (++etags) + "\"", Map.of()));
    }

    @Override
    public List<StoredObject> listUpstream(final String bucket) {
        reachable();
        return upstream.entrySet().stream().map(e -> object(e.getKey(), e.getValue())).toList();
    }

    @Override
    public Optional<StoredObject> headUpstream(final String bucket, final String key) {
        reachable();
        return Optional.ofNullable(upstream.get(key)).map(stored -> object(key, stored));
    }

    @Override
    public void downloadUpstream(final String bucket, final String key, final Path file, final LongConsumer progress) {
        reachable();
        downloads++;
        byte[] bytes = upstream.get(key).bytes();
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (long sent = 0; sent < bytes.length; sent += 1024 * 1024) {
            progress.accept(sent);
        }
        progress.accept(bytes.length);
    }

    @Override
    public String account() {
        return "123456789012";
    }

    @Override
    public boolean mirrorExists(final String bucket) {
        reachable();
        return mirrorBuckets.contains(bucket);
    }

    @Override
    public Optional<StoredObject> headMirror(final String bucket, final String key) {
        reachable();
        return Optional.ofNullable(mirror.get(bucket + "/" + key)).map(stored -> object(key, stored));
    }

    @Override
    public StoredObject putMirror(final String bucket, final String key, final Path file, final String sha256Hex,
            final Map<String, String> metadata, final LongConsumer progress) {
        reachable();
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (!Qualifier.sha256(file).equals(sha256Hex)) {
                throw new DriverGatewayException("BadDigest: the SHA-256 does not match the body");
            }
            Stored stored = new Stored(bytes, "\"etag-" + (++etags) + "\"", metadata);
            mirror.put(bucket + "/" + key, stored);
            puts.add(bucket + "/" + key);
            progress.accept(bytes.length);
            return object(key, stored);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void reachable() {
        if (unreachable) {
            throw new DriverGatewayException("listing s3://ec2-linux-nvidia-drivers: cannot reach AWS");
        }
    }

    private static StoredObject object(final String key, final Stored stored) {
        return new StoredObject(key, stored.bytes().length, stored.etag(), stored.metadata());
    }
}
