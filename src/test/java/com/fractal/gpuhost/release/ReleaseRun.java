package com.fractal.gpuhost.release;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** One run of the release command in a test, on an assembly's settings file: its exit code and what it printed. */
record ReleaseRun(int code, String out, String err) {

    static ReleaseRun of(final Path assembly, final Function<ReleaseConfig, ReleaseGateway> gateways,
            final Function<ReleaseConfig, AccountsGateway> accounts, final String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--assembly", assembly.toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int code = ReleaseCli.run(all, new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8), gateways, accounts);
        return new ReleaseRun(code, stdout.toString(StandardCharsets.UTF_8), stderr.toString(StandardCharsets.UTF_8));
    }

    /** Settings without workload accounts: asking for an accounts gateway fails the test. */
    static ReleaseRun of(final Path assembly, final Function<ReleaseConfig, ReleaseGateway> gateways,
            final String... args) {
        return of(assembly, gateways, config -> {
            throw new AssertionError("the accounts gateway was asked for without workload accounts");
        }, args);
    }
}
