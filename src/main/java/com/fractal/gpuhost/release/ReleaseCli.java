package com.fractal.gpuhost.release;

import com.fractal.gpuhost.release.ReleaseGateway.GatewayException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * {@code npm run release -- <verb>}: release channels of the host image. Exit 0 when done (or nothing to
 * do), 1 when a release is refused or failed (or AWS is out of reach), 2 for bad usage. Errors are one
 * line on stderr, never a stack trace.
 */
public final class ReleaseCli {
    /** The newest build, as Image Builder's distribution published it. */
    public static final String LATEST = "latest";

    private ReleaseCli() {
    }

    public static void main(final String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err, config -> new AwsReleaseGateway(),
                config -> new AwsAccountsGateway(config.buildRegion())));
    }

    /** Runs one command in the build account alone (no workload account is ever looked up). */
    static int run(final List<String> args, final PrintStream out, final PrintStream err,
            final Function<ReleaseConfig, ReleaseGateway> gateways) {
        return run(args, out, err, gateways, config -> {
            throw new IllegalStateException("settings with workload accounts need an accounts gateway");
        });
    }

    /**
     * Runs one command; the gateways are made from the settings, so tests can pass fakes. The accounts gateway
     * is asked for only when a sharing setting names workload accounts.
     */
    static int run(final List<String> args, final PrintStream out, final PrintStream err,
            final Function<ReleaseConfig, ReleaseGateway> gateways,
            final Function<ReleaseConfig, AccountsGateway> accounts) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(ReleaseArguments.USAGE);
            return 0;
        }
        try {
            ReleaseArguments arguments = ReleaseArguments.parse(args);
            if ("status".equals(arguments.verb())) {
                List<ReleaseConfig> configs = arguments.variant().isEmpty() ? ReleaseConfig.readAll(arguments.assembly())
                        : List.of(ReleaseConfig.read(arguments.assembly(), arguments.variant()));
                // Printed once every variant is read, so a failure leaves only its one-line error.
                ByteArrayOutputStream report = new ByteArrayOutputStream();
                PrintStream reportOut = new PrintStream(report, true, StandardCharsets.UTF_8);
                for (ReleaseConfig config : configs) {
                    reportOut.println("variant " + config.variant() + ":");
                    new StatusReport(config, gateways.apply(config), workloads(config, accounts)).print(reportOut);
                }
                out.print(report.toString(StandardCharsets.UTF_8));
                return 0;
            }
            ReleaseConfig config = ReleaseConfig.read(arguments.assembly(), arguments.variant());
            ReleaseGateway gateway = gateways.apply(config);
            WorkloadAccounts workloads = workloads(config, accounts);
            if (workloads.any()) {
                out.println(workloads.summary());
            }
            ReleasePlanner planner = new ReleasePlanner(config, gateway, workloads);
            switch (arguments.verb()) {
                case "promote" -> new ReleaseExecutor(config, gateway, out).run(
                        planner.promote(arguments.to().orElseThrow(), arguments.from()), arguments.dryRun());
                default -> new ReleaseExecutor(config, gateway, out).run(
                        planner.rollback(arguments.channel().orElseThrow()), arguments.dryRun());
            }
            return 0;
        } catch (ReleaseException e) {
            err.println("release: " + e.getMessage());
            return e.exitCode();
        } catch (GatewayException e) {
            err.println("release: " + e.getMessage() + "; nothing was changed");
            return ReleaseException.FAILED;
        }
    }

    private static WorkloadAccounts workloads(final ReleaseConfig config,
            final Function<ReleaseConfig, AccountsGateway> accounts) {
        return config.sharing().isActive() ? WorkloadAccounts.resolve(config.sharing(), accounts.apply(config))
                : WorkloadAccounts.none();
    }
}
