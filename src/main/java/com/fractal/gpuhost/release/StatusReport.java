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
 */
public final class StatusReport {
    private static final String DISAGREES = " !";

    private final ReleaseConfig config;
    private final ReleaseGateway gateway;

    public StatusReport(final ReleaseConfig config, final ReleaseGateway gateway) {
        this.config = config;
        this.gateway = gateway;
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
        return disagreeing;
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
