package com.fractal.gpuhost.settings;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Refuses a context key that no declaration names: a misspelt {@code -c devInstnaceType=g5.xlarge} would
 * otherwise be ignored and the default deployed. The CDK's own keys are left alone: feature flags
 * ({@code @aws-cdk/...}, {@code @aws-cdk-containers/...}), the keys the CLI and the App add ({@code aws:cdk:...},
 * {@code aws-cdk:...}), lookups cached in cdk.context.json (every one holds a ':'), {@code cdk-...}, and the
 * notices the CLI records ({@code acknowledged-issue-numbers}).
 */
final class UnknownKeys {
    private static final List<String> CDK_PREFIXES = List.of("@", "cdk-", "aws-cdk");
    private static final Set<String> CDK_KEYS = Set.of("acknowledged-issue-numbers");

    private UnknownKeys() {
    }

    /** One problem per unknown key, in key order, each naming the closest declared key. */
    static List<String> problems(final Collection<String> keys, final Collection<String> declared,
            final Collection<String> retired) {
        return keys.stream()
                .filter(key -> !declared.contains(key) && !retired.contains(key) && !isCdkOwn(key))
                .sorted()
                .map(key -> "unknown setting \"" + key + "\"; did you mean \"" + closest(key, declared) + "\"?")
                .toList();
    }

    static boolean isCdkOwn(final String key) {
        return key.contains(":") || CDK_KEYS.contains(key) || CDK_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The declared key nearest by edit distance (ignoring case), the first in alphabetical order on a tie. */
    static String closest(final String key, final Collection<String> declared) {
        return declared.stream()
                .min(Comparator.<String>comparingInt(candidate -> distance(key, candidate))
                        .thenComparing(Comparator.naturalOrder()))
                .orElseThrow();
    }

    /**
     * The optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two neighbouring
     * characters each count one, so "Instnace" is one edit from "Instance".
     */
    static int distance(final String from, final String to) {
        String a = from.toLowerCase(Locale.ROOT);
        String b = to.toLowerCase(Locale.ROOT);
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
