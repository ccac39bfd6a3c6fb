package com.fractal.gpuhost.drivers;

import com.fractal.gpuhost.drivers.DriverGateway.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * {@code qualify}: takes one runfile of AWS's driver bucket into the project's mirror and pins it for a
 * variant. The plan is printed first. The runfile is downloaded, checked with its own {@code --check},
 * measured (SHA-256), and only then copied into the mirror (S3 checks the upload against that SHA-256) and
 * written into the variant's pin file. Bytes that differ from an existing pin or mirror object are refused:
 * a driver that AWS changes upstream never changes what the project built from.
 */
final class Qualifier {
    /** Metadata on a mirror object: what was measured and where it came from. */
    static final String META_SHA256 = "sha256";
    static final String META_SOURCE = "source";
    static final String META_SOURCE_ETAG = "source-etag";

    private final DriverGateway gateway;
    private final UpstreamBucket upstream;
    private final PrintStream out;

    Qualifier(final DriverGateway gateway, final UpstreamBucket upstream, final PrintStream out) {
        this.gateway = gateway;
        this.upstream = upstream;
        this.out = out;
    }

    /** The key to qualify: the one asked for, or the newest on the pin's branch; refused when off-branch or absent. */
    static DriverKey choose(final VariantPin pin, final Optional<String> asked, final UpstreamDrivers drivers,
            final UpstreamBucket upstream) {
        String branch = pin.key().branch();
        if (asked.isEmpty()) {
            return drivers.newest(branch).orElseThrow(() -> DriversException.refused(upstream + " holds no runfile "
                    + "on " + pin.variant() + "'s branch " + branch + "; the mirror keeps what was qualified"));
        }
        DriverKey key = DriverKey.parse(asked.get()).orElseThrow(() -> DriversException.usage("--key " + asked.get()
                + " is no GRID runfile key; allowed: grid-NN.N/NVIDIA-Linux-x86_64-VERSION-grid-aws.run"));
        if (!key.sameBranch(pin.key())) {
            throw DriversException.refused("--key " + key.key() + " is on branch " + key.branch() + ", not on "
                    + pin.variant() + "'s branch " + branch + "; allowed: " + keys(drivers, branch)
                    + " (a new branch is a new variant)");
        }
        if (drivers.object(key.key()).isEmpty()) {
            throw DriversException.refused("--key " + key.key() + " is not in " + upstream + "; on branch " + branch
                    + ": " + keys(drivers, branch));
        }
        return key;
    }

    void qualify(final VariantPin pin, final DriverKey key, final StoredObject source, final String mirror,
            final boolean dryRun) {
        Optional<StoredObject> mirrored = gateway.headMirror(mirror, key.key());
        boolean samePin = pin.key().equals(key) && pin.sha256().isPresent();
        out.println("plan: qualify " + pin.variant() + " <- " + key.key());
        out.println("  from: s3://" + upstream.name() + "/" + key.key() + " (" + source.size() + " bytes, ETag "
                + source.etag() + ")");
        out.println("  into: s3://" + mirror + "/" + key.key() + " (" + mirrored
                .map(object -> "there, SHA-256 " + object.metadata().getOrDefault(META_SHA256, "not recorded"))
                .orElse("new") + ")");
        out.println("  pin:  " + pin.file() + " (now " + pin.key().key() + ", "
                + pin.sha256().map(sha -> "SHA-256 " + sha).orElse("unqualified") + ")");
        // The pin and the mirror agree: what builds use is settled, whatever the upstream bucket holds now.
        if (samePin && mirrored.map(object -> pin.sha256().get().equals(object.metadata().get(META_SHA256)))
                .orElse(false)) {
            String recordedEtag = mirrored.get().metadata().getOrDefault(META_SOURCE_ETAG, "");
            if (!recordedEtag.equals(source.etag())) {
                out.println("warning: " + key.key() + " changed upstream since it was qualified (ETag " + source.etag()
                        + ", was " + recordedEtag + "); builds use the mirror's qualified copy");
            }
            out.println("nothing to do: " + pin.variant() + " already pins " + key.key() + " (SHA-256 "
                    + pin.sha256().get() + ") and the mirror holds it");
            return;
        }
        if (dryRun) {
            out.println("dry run: nothing changed");
            return;
        }
        Path work = temporaryFolder();
        try {
            Path runfile = work.resolve(key.key().substring(key.key().lastIndexOf('/') + 1));
            gateway.downloadUpstream(upstream.name(), key.key(), runfile,
                    new ProgressLine(out, "downloading " + key.key(), source.size()));
            long size = size(runfile);
            if (size != source.size()) {
                throw DriversException.refused(key.key() + ": downloaded " + size + " bytes, the bucket lists "
                        + source.size() + "; nothing was mirrored or pinned");
            }
            RunfileCheck.failure(runfile).ifPresent(failure -> {
                throw DriversException.refused(key.key() + ": the runfile's own integrity check (sh "
                        + runfile.getFileName() + " --check) failed (" + failure + "); nothing was mirrored or pinned");
            });
            String sha256 = sha256(runfile);
            out.println("measured: " + key.key() + " SHA-256 " + sha256 + ", " + size + " bytes, ETag "
                    + source.etag() + "; --check passed");
            if (pin.key().equals(key) && pin.sha256().isPresent() && !pin.sha256().get().equals(sha256)) {
                throw DriversException.refused(key.key() + ": the bytes differ from the pin: " + pin.file()
                        + " has SHA-256 " + pin.sha256().get() + ", " + upstream.name() + " now serves " + sha256
                        + "; nothing was mirrored or pinned (review why AWS changed the file)");
            }
            mirror(mirror, key, runfile, sha256, source, mirrored);
            pin.write(key, sha256);
            out.println("done: " + pin.variant() + " pins " + key.key() + " (SHA-256 " + sha256 + ", " + size
                    + " bytes, upstream ETag " + source.etag() + "); review the change to " + pin.file());
        } finally {
            deleteQuietly(work);
        }
    }

    private void mirror(final String mirror, final DriverKey key, final Path runfile, final String sha256,
            final StoredObject source, final Optional<StoredObject> mirrored) {
        if (mirrored.isPresent()) {
            String there = mirrored.get().metadata().getOrDefault(META_SHA256, "not recorded");
            if (!there.equals(sha256)) {
                throw DriversException.refused("s3://" + mirror + "/" + key.key() + " holds other bytes (SHA-256 "
                        + there + ") than " + upstream.name() + " serves now (" + sha256 + "); nothing was pinned "
                        + "(the mirror is never overwritten: review both)");
            }
            out.println("mirror: s3://" + mirror + "/" + key.key() + " already holds these bytes");
            return;
        }
        StoredObject stored = gateway.putMirror(mirror, key.key(), runfile, sha256, Map.of(META_SHA256, sha256,
                META_SOURCE, "s3://" + upstream.name() + "/" + key.key(), META_SOURCE_ETAG, source.etag()),
                new ProgressLine(out, "uploading to s3://" + mirror, source.size()));
        out.println("mirror: s3://" + mirror + "/" + key.key() + " written (ETag " + stored.etag() + ")");
    }

    static String sha256(final Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw DriversException.refused(file + ": cannot be read (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String keys(final UpstreamDrivers drivers, final String branch) {
        var keys = drivers.onBranch(branch).stream().map(DriverKey::key).toList();
        return keys.isEmpty() ? "none" : String.join(", ", keys);
    }

    private static long size(final Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw DriversException.refused(file + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    private static Path temporaryFolder() {
        try {
            return Files.createTempDirectory("gpu-host-driver-");
        } catch (IOException e) {
            throw DriversException.refused("cannot make a temporary folder (" + e.getMessage() + ")");
        }
    }

    private static void deleteQuietly(final Path folder) {
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary folder left behind is harmless.
        }
    }
}
