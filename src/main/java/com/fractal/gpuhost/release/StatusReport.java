package com.fractal.gpuhost.release;

import com.fractal.gpuhost.release.ReleaseGateway.Image;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code release status}: one row per region with the newest build and every channel's AMI (ID, name,
 * creation date). A column whose regions hold different builds is marked, and so are the odd regions.
 * With workload accounts, a table per account follows: what its own channel parameters hold in each region,
 * each cell marked where it is not what the build account's channel holds there (the same AMI, or for a
 * copy account its own copy of the same build).
 */
public final class StatusReport {
    private static final String DISAGREES = " !";

    private final ReleaseConfig config;
    private final ReleaseGateway gateway;
    private final WorkloadAccounts workloads;

    public StatusReport(final ReleaseConfig config, final ReleaseGateway gateway) {
        this(config, gateway, WorkloadAccounts.none());
    }

    public StatusReport(final ReleaseConfig config, final ReleaseGateway gateway, final WorkloadAccounts workloads) {
        this.config = config;
        this.gateway = gateway;
        this.workloads = workloads;
    }

    /** @return the columns whose regions disagree (empty when every column agrees) */
    public List<String> print(final PrintStream out) {
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put(ReleaseCli.LATEST, config.latestSsmName());
        config.channels().values().forEach(channel -> columns.put(channel.name(), channel.ssmName()));

        Map<String, Map<String, Optional<Image>>> cells = new LinkedHashMap<>();
        for (String region : config.activeRegions()) {
            Map<String, String> ids = new LinkedHashMap<>();
            columns.forEach((column, name) -> gateway.parameter(region, name).ifPresent(id -> ids.put(column, id)));
            Map<String, Image> images = gateway.images(region, new LinkedHashSet<>(ids.values()));
            Map<String, Optional<Image>> row = new LinkedHashMap<>();
            columns.keySet().forEach(column -> row.put(column, Optional.ofNullable(ids.get(column))
                    .map(id -> images.getOrDefault(id, new Image(id, "(deregistered)", "missing", "", Map.of(),
                            List.of())))));
            cells.put(region, row);
        }

        List<String> disagreeing = new ArrayList<>();
        Map<String, String> usual = new HashMap<>();
        for (String column : columns.keySet()) {
            Map<String, Long> builds = cells.values().stream().collect(Collectors.groupingBy(
                    row -> row.get(column).map(Image::name).orElse("(none)"), LinkedHashMap::new, Collectors.counting()));
            usual.put(column, builds.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
            if (builds.size() > 1) {
                disagreeing.add(column);
            }
        }

        if (workloads.any()) {
            out.println("build account " + workloads.buildAccount() + ":");
        }
        List<List<String>> table = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("region"));
        columns.keySet().forEach(column -> header.add(column + (disagreeing.contains(column) ? DISAGREES : "")));
        table.add(header);
        cells.forEach((region, row) -> {
            List<String> line = new ArrayList<>(List.of(region));
            row.forEach((column, image) -> line.add(image.map(i -> i.id() + " " + i.name() + " " + date(i))
                    .orElse("(none)") + (image.map(Image::name).orElse("(none)").equals(usual.get(column)) ? ""
                            : DISAGREES)));
            table.add(line);
        });
        printAligned(out, table);
        Set<String> names = new LinkedHashSet<>(disagreeing);
        if (names.isEmpty()) {
            out.println("every region agrees on each channel");
        } else {
            out.println("!" + " regions disagree on " + String.join(", ", names)
                    + ": the marked regions hold another build than the others");
        }
        disagreeing.addAll(printAccounts(out, cells));
        return disagreeing;
    }

    /**
     * One table per workload account: each channel's AMI in each region, marked where it differs from the build
     * account's. An account whose role cannot be assumed gets one marked line instead.
     *
     * @return "account A" for each account that differs or cannot be read
     */
    private List<String> printAccounts(final PrintStream out, final Map<String, Map<String, Optional<Image>>> build) {
        List<String> differing = new ArrayList<>();
        for (WorkloadAccounts.Reader reader : workloads.readers()) {
            out.println("account " + reader.account() + (reader.copies() ? " (owns copies of the AMIs):"
                    : " (launches the build account's AMIs):"));
            List<List<String>> table = new ArrayList<>();
            List<String> header = new ArrayList<>(List.of("region"));
            header.addAll(config.channels().keySet());
            table.add(header);
            Set<String> differs = new LinkedHashSet<>();
            for (String region : config.activeRegions()) {
                List<String> line = new ArrayList<>(List.of(region));
                Map<String, String> ids = new LinkedHashMap<>();
                config.channels().values().forEach(channel -> reader.gateway().parameter(region, channel.ssmName())
                        .ifPresent(id -> ids.put(channel.name(), id)));
                Map<String, Image> own = reader.copies()
                        ? reader.gateway().images(region, new LinkedHashSet<>(ids.values())) : Map.of();
                for (String channel : config.channels().keySet()) {
                    Optional<Image> expected = build.get(region).get(channel);
                    Optional<String> id = Optional.ofNullable(ids.get(channel));
                    boolean same = reader.copies()
                            ? id.map(own::get).map(Image::name).equals(expected.map(Image::name))
                            : id.equals(expected.map(Image::id));
                    if (!same) {
                        differs.add(channel);
                    }
                    line.add(id.map(value -> value + (reader.copies() && own.containsKey(value)
                            ? " " + own.get(value).name() : "")).orElse("(none)") + (same ? "" : DISAGREES));
                }
                table.add(line);
            }
            printAligned(out, table);
            if (differs.isEmpty()) {
                out.println("account " + reader.account() + " agrees with the build account on each channel");
            } else {
                out.println("! account " + reader.account() + " differs from the build account on "
                        + String.join(", ", differs) + ": the marked regions hold another build");
                differing.add("account " + reader.account());
            }
        }
        for (String unreachable : workloads.unreachable()) {
            out.println("! " + unreachable + ": its channels cannot be read");
            differing.add(unreachable.substring(0, unreachable.indexOf(':')));
        }
        return differing;
    }

    private static String date(final Image image) {
        String created = image.creationDate();
        return created.length() >= 10 ? "(" + created.substring(0, 10) + ")" : "";
    }

    private static void printAligned(final PrintStream out, final List<List<String>> table) {
        int columns = table.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : table) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        Function<List<String>, String> format = row -> {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : String.format("%-" + (widths[i] + 2) + "s", row.get(i)));
            }
            return line.toString().stripTrailing();
        };
        table.forEach(row -> out.println(format.apply(row)));
    }
}
