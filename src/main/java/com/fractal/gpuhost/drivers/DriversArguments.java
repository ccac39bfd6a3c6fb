package com.fractal.gpuhost.drivers;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The command line: a verb and its options. Anything else is a usage error naming the bad argument.
 *
 * @param verb         list or qualify
 * @param variant      qualify: the image variant whose pin changes
 * @param key          qualify: the runfile to pin (default: the newest on the variant's pinned branch)
 * @param mirrorBucket qualify: the mirror bucket (default: named after the build account and region)
 * @param newer        list: print only "VARIANT KEY" for each variant with a newer driver on its branch
 * @param dryRun       qualify: print the plan only
 * @param hostScripts  the host-scripts folder: versions.env names AWS's driver bucket
 * @param variants     the folder of the variants' pin files
 * @param assembly     the cloud assembly whose resolved settings name the build region
 */
public record DriversArguments(String verb, Optional<String> variant, Optional<String> key,
        Optional<String> mirrorBucket, boolean newer, boolean dryRun, Path hostScripts, Path variants,
        Path assembly) {

    public static final String USAGE = """
            usage: npm run drivers -- <verb> [options]
              list [--newer]                        AWS's GRID driver bucket by branch: what each variant pins
                                                    and what is newer on its branch (--newer: only
                                                    "VARIANT KEY" for each variant with a newer driver)
              qualify --variant NAME [--key KEY]    copy a runfile into the mirror, run its --check, measure
                                                    its SHA-256 and write the variant's pin (KEY: default
                                                    the newest on the variant's branch)
            options: --mirror-bucket NAME (qualify; default named after the build account and region),
                     --dry-run (qualify: show the plan only), --variants DIR (default host-scripts/variants),
                     --assembly DIR (default cdk.out, from `npm run synth`: the build region)""";

    static final List<String> VERBS = List.of("list", "qualify");
    static final Path HOST_SCRIPTS = Path.of("host-scripts");

    public static DriversArguments parse(final List<String> args) {
        if (args.isEmpty()) {
            throw DriversException.usage("no verb given; allowed: " + String.join(", ", VERBS) + " (--help for usage)");
        }
        String verb = args.get(0);
        if (!VERBS.contains(verb)) {
            throw DriversException.usage("unknown verb \"" + verb + "\"; allowed: " + String.join(", ", VERBS));
        }
        Optional<String> variant = Optional.empty();
        Optional<String> key = Optional.empty();
        Optional<String> mirrorBucket = Optional.empty();
        boolean newer = false;
        boolean dryRun = false;
        Path variants = HOST_SCRIPTS.resolve("variants");
        Path assembly = Path.of("cdk.out");
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--variant" -> variant = Optional.of(value(args, ++i, arg, verb, "qualify"));
                case "--key" -> key = Optional.of(value(args, ++i, arg, verb, "qualify"));
                case "--mirror-bucket" -> mirrorBucket = Optional.of(value(args, ++i, arg, verb, "qualify"));
                case "--assembly" -> assembly = Path.of(value(args, ++i, arg, verb, "qualify"));
                case "--variants" -> variants = Path.of(value(args, ++i, arg, verb, verb));
                case "--newer" -> newer = flag(arg, verb, "list");
                case "--dry-run" -> dryRun = flag(arg, verb, "qualify");
                default -> throw arg.startsWith("-")
                        ? DriversException.usage("unknown option \"" + arg + "\" for " + verb + "; allowed: "
                                + options(verb))
                        : DriversException.usage("unexpected argument \"" + arg + "\" for " + verb);
            }
        }
        if ("qualify".equals(verb) && variant.isEmpty()) {
            throw DriversException.usage("qualify needs --variant NAME");
        }
        return new DriversArguments(verb, variant, key, mirrorBucket, newer, dryRun, HOST_SCRIPTS, variants,
                assembly);
    }

    private static String value(final List<String> args, final int at, final String option, final String verb,
            final String onlyFor) {
        flag(option, verb, onlyFor);
        if (at >= args.size() || args.get(at).startsWith("--")) {
            throw DriversException.usage(option + " needs a value");
        }
        return args.get(at);
    }

    private static boolean flag(final String option, final String verb, final String onlyFor) {
        if (!verb.equals(onlyFor)) {
            throw DriversException.usage("unknown option \"" + option + "\" for " + verb + "; allowed: "
                    + options(verb));
        }
        return true;
    }

    private static String options(final String verb) {
        return "list".equals(verb) ? "--newer, --variants"
                : "--variant, --key, --mirror-bucket, --dry-run, --variants, --assembly";
    }
}
