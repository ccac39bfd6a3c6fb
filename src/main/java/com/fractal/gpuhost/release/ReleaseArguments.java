package com.fractal.gpuhost.release;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line: a verb and its options. Anything else is a usage error naming the bad argument.
 *
 * @param verb     status, promote or rollback
 * @param to       promote: the channel that moves
 * @param from     promote: latest or a channel
 * @param channel  rollback: the channel that goes back
 * @param dryRun   print the plan only
 * @param assembly the cloud assembly with gpu-host-settings.json
 * @param variant  the image variant whose channels move (status: only that one); optional with one active
 */
public record ReleaseArguments(String verb, Optional<String> to, String from, Optional<String> channel,
        boolean dryRun, Path assembly, Optional<String> variant) {

    public static final String USAGE = """
            usage: npm run release -- <verb> [options]
              status                                      every region's newest build and channels (and what
                                                          each workload account's channels hold)
              promote --to CHANNEL [--from latest|CHANNEL] move a channel, in every region (of every account) or none
              rollback CHANNEL                            back to the channel's release before its current one
            options: --variant NAME (the image variant; may be left out when one is active; status shows every
                     variant without it), --dry-run (show the plan only), --assembly DIR (default cdk.out,
                     from `npm run synth`)""";

    static final List<String> VERBS = List.of("status", "promote", "rollback");

    public static ReleaseArguments parse(final List<String> args) {
        if (args.isEmpty()) {
            throw ReleaseException.usage("no verb given; allowed: " + String.join(", ", VERBS) + " (--help for usage)");
        }
        String verb = args.get(0);
        if (!VERBS.contains(verb)) {
            throw ReleaseException.usage("unknown verb \"" + verb + "\"; allowed: " + String.join(", ", VERBS));
        }
        Optional<String> to = Optional.empty();
        String from = ReleaseCli.LATEST;
        boolean dryRun = false;
        Path assembly = Path.of("cdk.out");
        Optional<String> variant = Optional.empty();
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--to" -> to = Optional.of(value(args, ++i, arg, verb, "promote"));
                case "--from" -> from = value(args, ++i, arg, verb, "promote");
                case "--assembly" -> assembly = Path.of(value(args, ++i, arg, verb, verb));
                case "--variant" -> variant = Optional.of(value(args, ++i, arg, verb, verb));
                case "--dry-run" -> {
                    if ("status".equals(verb)) {
                        throw ReleaseException.usage("--dry-run: status changes nothing; allowed with promote, rollback");
                    }
                    dryRun = true;
                }
                default -> {
                    if (arg.startsWith("-")) {
                        throw ReleaseException.usage("unknown option \"" + arg + "\" for " + verb + "; allowed: "
                                + options(verb));
                    }
                    positional.add(arg);
                }
            }
        }
        Optional<String> channel = Optional.empty();
        switch (verb) {
            case "promote" -> {
                requireNone(positional, verb);
                if (to.isEmpty()) {
                    throw ReleaseException.usage("promote needs --to CHANNEL");
                }
                if (to.get().equals(from)) {
                    throw ReleaseException.usage("cannot promote \"" + from + "\" to itself; --from takes latest "
                            + "or another channel");
                }
            }
            case "rollback" -> {
                if (positional.size() != 1) {
                    throw ReleaseException.usage("rollback takes one channel, got " + positional.size()
                            + (positional.isEmpty() ? "" : " (" + String.join(" ", positional) + ")"));
                }
                channel = Optional.of(positional.get(0));
            }
            default -> requireNone(positional, verb);
        }
        return new ReleaseArguments(verb, to, from, channel, dryRun, assembly, variant);
    }

    private static String value(final List<String> args, final int at, final String option, final String verb,
            final String onlyFor) {
        if (!verb.equals(onlyFor)) {
            throw ReleaseException.usage("unknown option \"" + option + "\" for " + verb + "; allowed: " + options(verb));
        }
        if (at >= args.size() || args.get(at).startsWith("--")) {
            throw ReleaseException.usage(option + " needs a value");
        }
        return args.get(at);
    }

    private static void requireNone(final List<String> positional, final String verb) {
        if (!positional.isEmpty()) {
            throw ReleaseException.usage("unexpected argument \"" + positional.get(0) + "\" for " + verb);
        }
    }

    private static String options(final String verb) {
        return switch (verb) {
            case "promote" -> "--to, --from, --variant, --dry-run, --assembly";
            case "rollback" -> "--variant, --dry-run, --assembly";
            default -> "--variant, --assembly";
        };
    }
}
