package com.fractal.gpuhost.drivers;

import com.fractal.gpuhost.drivers.DriverGateway.DriverGatewayException;
import com.fractal.gpuhost.drivers.DriverGateway.StoredObject;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * {@code npm run drivers -- <verb>}: the GRID drivers the image variants pin. {@code list} shows AWS's
 * driver bucket by branch; {@code qualify} takes a runfile into the project's mirror and writes the
 * variant's pin, the diff a reviewer approves. Exit 0 when done (or nothing to do), 1 when refused (or AWS
 * is out of reach), 2 for bad usage. Errors are one line on stderr, never a stack trace.
 */
public final class DriversCli {

    private DriversCli() {
    }

    public static void main(final String[] args) {
        System.exit(run(Arrays.asList(args), System.out, System.err, AwsDriverGateway::new));
    }

    /** Runs one command; the gateway is made for the upstream bucket, so tests can pass a fake. */
    static int run(final List<String> args, final PrintStream out, final PrintStream err,
            final Function<UpstreamBucket, DriverGateway> gateways) {
        if (args.contains("--help") || args.contains("-h")) {
            out.println(DriversArguments.USAGE);
            return 0;
        }
        try {
            DriversArguments arguments = DriversArguments.parse(args);
            UpstreamBucket upstream = UpstreamBucket.read(arguments.hostScripts());
            VariantPins pins = VariantPins.read(arguments.variants());
            DriverGateway gateway = gateways.apply(upstream);
            if ("list".equals(arguments.verb())) {
                DriverListing listing = new DriverListing(upstream, pins,
                        new UpstreamDrivers(gateway.listUpstream(upstream.name())));
                if (arguments.newer()) {
                    listing.printNewer(out);
                } else {
                    listing.print(out);
                }
                return 0;
            }
            // An unknown variant is a usage error, found before any AWS call.
            VariantPin pin = pins.get(arguments.variant().orElseThrow());
            UpstreamDrivers drivers = new UpstreamDrivers(gateway.listUpstream(upstream.name()));
            DriverKey key = Qualifier.choose(pin, arguments.key(), drivers, upstream);
            StoredObject source = drivers.object(key.key()).orElseThrow();
            String mirror = MirrorBucket.resolve(arguments.mirrorBucket(), arguments.assembly(), gateway);
            if (!gateway.mirrorExists(mirror)) {
                throw DriversException.refused("the mirror bucket " + mirror + " does not exist or is not this "
                        + "account's: deploy the image pipeline first, or pass --mirror-bucket NAME");
            }
            new Qualifier(gateway, upstream, out).qualify(pin, key, source, mirror, arguments.dryRun());
            return 0;
        } catch (DriversException e) {
            err.println("drivers: " + e.getMessage());
            return e.exitCode();
        } catch (DriverGatewayException e) {
            err.println("drivers: " + e.getMessage() + "; nothing was changed");
            return DriversException.REFUSED;
        }
    }
}
