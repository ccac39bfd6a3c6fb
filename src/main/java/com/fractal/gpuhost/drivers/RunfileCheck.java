package com.fractal.gpuhost.drivers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The runfile's own integrity check: a makeself archive verifies its embedded checksums with
 * {@code sh FILE --check} (NVIDIA's .run files are makeself archives). It proves the file is whole, not who
 * made it.
 */
final class RunfileCheck {
    private static final long TIMEOUT_MINUTES = 10;

    private RunfileCheck() {
    }

    /** Empty when the check passed; otherwise what it said, in one line. */
    static Optional<String> failure(final Path runfile) {
        try {
            Process process = new ProcessBuilder(List.of("sh", runfile.toString(), "--check"))
                    .redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                return Optional.of("did not finish within " + TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() == 0) {
                return Optional.empty();
            }
            String said = output.lines().map(String::strip).filter(line -> !line.isEmpty())
                    .reduce((first, second) -> second).orElse("no output");
            return Optional.of("exit " + process.exitValue() + ": " + said);
        } catch (IOException e) {
            return Optional.of("cannot run sh (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }
}
