package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.model.StackFacts;
import com.fractal.gpuhost.audit.render.ReportDocument;
import com.fractal.gpuhost.audit.render.ReportDocument.Block;
import com.fractal.gpuhost.audit.render.ReportDocument.Bullets;
import com.fractal.gpuhost.audit.render.ReportDocument.Heading;
import com.fractal.gpuhost.audit.render.ReportDocument.Paragraph;
import com.fractal.gpuhost.audit.render.ReportDocument.Table;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One stack deployed to several regions (stacks named {@code <name>-<region>}, e.g. FractalNetwork-us-east-1) is
 * a family. A fact that reads the same in each member once the member's name and region are written as
 * {@code <name>-<region>} and {@code <region>} is shown once, with the regions where it holds: "all 7 regions",
 * or the list where members differ. Nothing is dropped: a fact of one region only is shown with that region.
 */
final class RegionGroups {
    static final String REGION = "<region>";
    static final String REGIONS_HEADER = "Regions";

    private final Map<String, String> regionOf = new HashMap<>();
    private final Map<String, String> familyOf = new HashMap<>();
    private final Map<String, List<String>> membersRegions = new LinkedHashMap<>();

    /** A part of the report about one stack: its heading's text and the blocks under it. */
    record Section(String stack, String title, ReportDocument part) {
    }

    private record Normalized(String title, List<Block> blocks) {
    }

    RegionGroups(final List<StackFacts> stacks) {
        Map<String, List<StackFacts>> candidates = new LinkedHashMap<>();
        for (StackFacts stack : stacks) {
            regionOf.put(stack.name(), stack.region());
            String suffix = "-" + stack.region();
            if (!stack.region().isEmpty() && stack.name().endsWith(suffix)) {
                String family = stack.name().substring(0, stack.name().length() - suffix.length()) + "-" + REGION;
                candidates.computeIfAbsent(family, k -> new ArrayList<>()).add(stack);
            }
        }
        candidates.forEach((family, members) -> {
            if (members.size() > 1) {
                members.forEach(m -> familyOf.put(m.name(), family));
                membersRegions.put(family, members.stream().map(StackFacts::region).toList());
            }
        });
    }

    /** The stack's family name, or the stack's own name when it is deployed to one region only. */
    String family(final String stack) {
        return familyOf.getOrDefault(stack, stack);
    }

    /** The text with the stack's name and region written as its family's, so members' facts compare equal. */
    String normalize(final String stack, final String text) {
        String family = familyOf.get(stack);
        return family == null ? text : text.replace(stack, family).replace(regionOf.get(stack), REGION);
    }

    /** Where a fact of these stacks holds: "all 7 regions", "2 regions: a, b", or the one stack's region. */
    String where(final Collection<String> stacks) {
        Set<String> regions = stacks.stream().map(s -> regionOf.getOrDefault(s, "")).collect(Collectors
                .toCollection(LinkedHashSet::new));
        List<String> all = membersRegions.get(family(stacks.iterator().next()));
        if (all != null && regions.containsAll(all)) {
            return "all " + all.size() + " regions";
        }
        return regions.size() == 1 ? regions.iterator().next()
                : regions.size() + " regions: " + String.join(", ", regions);
    }

    /** Stack names as families, each with where it applies: "FractalNetwork-<region> (all 7 regions)". */
    String stacks(final Collection<String> stacks) {
        Map<String, List<String>> byFamily = new LinkedHashMap<>();
        stacks.forEach(s -> byFamily.computeIfAbsent(family(s), k -> new ArrayList<>()).add(s));
        return byFamily.entrySet().stream()
                .map(e -> familyOf.containsKey(e.getValue().get(0)) ? e.getKey() + " (" + where(e.getValue()) + ")"
                        : e.getKey())
                .collect(Collectors.joining(", "));
    }

    /**
     * Adds a table whose {@code stackColumn} names a stack: rows that differ only by their stack's region become
     * one, with a Regions column after the stack column.
     */
    void table(final ReportDocument doc, final List<String> headers, final int stackColumn,
            final List<List<String>> rows, final Set<Integer> codeColumns, final int severityColumn) {
        Map<List<String>, List<String>> grouped = new LinkedHashMap<>();
        for (List<String> row : rows) {
            String stack = row.get(stackColumn);
            List<String> normalized = new ArrayList<>();
            row.forEach(cell -> normalized.add(normalize(stack, cell)));
            grouped.computeIfAbsent(normalized, k -> new ArrayList<>()).add(stack);
        }
        List<List<String>> out = new ArrayList<>();
        grouped.forEach((row, stacks) -> {
            List<String> withRegions = new ArrayList<>(row);
            withRegions.add(stackColumn + 1, where(stacks));
            out.add(withRegions);
        });
        List<String> withHeader = new ArrayList<>(headers);
        withHeader.add(stackColumn + 1, REGIONS_HEADER);
        doc.table(withHeader, out, shift(codeColumns, stackColumn), severityColumn > stackColumn ? severityColumn + 1
                : severityColumn);
    }

    /**
     * Adds per-stack sections at this heading level: members whose sections read the same are shown once, the
     * heading naming where they apply.
     */
    void sections(final ReportDocument doc, final int level, final List<Section> sections) {
        Map<Normalized, List<String>> grouped = new LinkedHashMap<>();
        for (Section section : sections) {
            UnaryOperator<String> normal = text -> normalize(section.stack(), text);
            Normalized key = new Normalized(normal.apply(section.title()), section.part().blocks().stream()
                    .map(block -> map(block, normal)).toList());
            grouped.computeIfAbsent(key, k -> new ArrayList<>()).add(section.stack());
        }
        grouped.forEach((section, stacks) -> {
            doc.heading(level, familyOf.containsKey(stacks.get(0)) ? section.title() + " (" + where(stacks) + ")"
                    : section.title());
            section.blocks().forEach(doc::add);
        });
    }

    private static Set<Integer> shift(final Set<Integer> columns, final int after) {
        return columns.stream().map(c -> c > after ? c + 1 : c).collect(Collectors.toSet());
    }

    private static Block map(final Block block, final UnaryOperator<String> f) {
        if (block instanceof Heading h) {
            return new Heading(h.level(), f.apply(h.text()));
        }
        if (block instanceof Paragraph p) {
            return new Paragraph(f.apply(p.label()), f.apply(p.text()));
        }
        if (block instanceof Bullets b) {
            return new Bullets(b.items().stream().map(f).toList());
        }
        Table t = (Table) block;
        return new Table(t.headers(), t.rows().stream().map(row -> row.stream().map(f).toList()).toList(),
                t.codeColumns(), t.severityColumn());
    }
}
