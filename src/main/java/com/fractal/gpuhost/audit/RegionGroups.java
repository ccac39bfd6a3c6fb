package com.fractal.gpuhost.audit;

import com.fractal.gpuhost.audit.render.Markdown;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One stack deployed to several regions (stacks named {@code <name>-<region>}, e.g. FractalNetwork-us-east-1) is
 * a family. A fact that reads the same in each member once the member's name and region are written as
 * {@code <name>-<region>} and {@code <region>} is shown once, with the regions where it holds: "all 7 regions",
 * or the list where members differ. Nothing is dropped: a fact of one region only is shown with that region.
 */
final class RegionGroups {
    static final String REGION = "<region>";

    private final Map<String, String> regionOf = new HashMap<>();
    private final Map<String, String> familyOf = new HashMap<>();
    private final Map<String, List<String>> familyRegions = new LinkedHashMap<>();

    /** A part of the report about one stack: its heading's text and the blocks under it, written as its family's. */
    record Section(String stack, String title, Markdown part) {
    }

    RegionGroups(final List<StackTemplate> stacks) {
        stacks.forEach(stack -> regionOf.put(stack.name(), stack.region()));
        Map<String, List<StackTemplate>> families = stacks.stream().filter(stack -> !stack.region().isEmpty()
                && stack.name().endsWith("-" + stack.region())).collect(Collectors.groupingBy(stack -> stack.name()
                        .substring(0, stack.name().length() - stack.region().length()) + REGION, LinkedHashMap::new,
                        Collectors.toList()));
        families.forEach((family, members) -> {
            if (members.size() > 1) {
                members.forEach(m -> familyOf.put(m.name(), family));
                familyRegions.put(family, members.stream().map(StackTemplate::region).toList());
            }
        });
    }

    /** The text with the stack's name and region written as its family's, so members' facts compare equal. */
    String normalize(final String stack, final String text) {
        String family = familyOf.get(stack);
        return family == null ? text : text.replace(stack, family).replace(regionOf.get(stack), REGION);
    }

    /** Where a fact of these stacks holds: "all 7 regions", "2 regions: a, b", or the one stack's region. */
    String where(final Collection<String> stacks) {
        List<String> regions = stacks.stream().map(s -> regionOf.getOrDefault(s, "")).distinct().toList();
        List<String> all = familyRegions.get(familyOf.get(stacks.iterator().next()));
        return all != null && regions.containsAll(all) ? "all " + all.size() + " regions"
                : regions.size() == 1 ? regions.get(0) : regions.size() + " regions: " + String.join(", ", regions);
    }

    /** Stack names as families, each with where it applies: "FractalNetwork-<region> (all 7 regions)". */
    String stacks(final Collection<String> stacks) {
        return stacks.stream().collect(Collectors.groupingBy(s -> familyOf.getOrDefault(s, s), LinkedHashMap::new,
                Collectors.toList())).entrySet().stream().map(e -> familyOf.containsKey(e.getValue().get(0))
                        ? e.getKey() + " (" + where(e.getValue()) + ")" : e.getKey()).collect(Collectors.joining(", "));
    }

    /**
     * Adds a table whose {@code stackColumn} names a stack: rows that differ only by their stack's region become
     * one, with a Regions column after the stack column.
     */
    void table(final Markdown doc, final List<String> headers, final int stackColumn,
            final List<List<String>> rows, final Set<Integer> codeColumns, final int severityColumn) {
        Map<List<String>, List<String>> grouped = rows.stream().collect(Collectors.groupingBy(row -> row.stream()
                .map(cell -> normalize(row.get(stackColumn), cell)).toList(), LinkedHashMap::new,
                Collectors.mapping(row -> row.get(stackColumn), Collectors.toList())));
        doc.table(withRegions(headers, stackColumn, "Regions"), grouped.entrySet().stream().map(row -> withRegions(
                row.getKey(), stackColumn, where(row.getValue()))).toList(), codeColumns.stream().map(c -> c
                        > stackColumn ? c + 1 : c).collect(Collectors.toSet()), severityColumn > stackColumn
                                ? severityColumn + 1 : severityColumn);
    }

    private static List<String> withRegions(final List<String> row, final int stackColumn, final String regions) {
        List<String> with = new ArrayList<>(row);
        with.add(stackColumn + 1, regions);
        return with;
    }

    /** Adds a section about one stack to the list, for {@link #sections}; returns its part, to write into. */
    Markdown section(final List<Section> sections, final String stack, final String title) {
        Section section = new Section(stack, title, new Markdown(text -> normalize(stack, text)));
        sections.add(section);
        return section.part();
    }

    /**
     * Adds per-stack sections at this heading level: members whose sections read the same are shown once, the
     * heading naming where they apply.
     */
    void sections(final Markdown doc, final int level, final List<Section> sections) {
        Map<List<String>, List<String>> grouped = sections.stream().collect(Collectors.groupingBy(section -> List.of(
                normalize(section.stack(), section.title()), section.part().blocks()), LinkedHashMap::new,
                Collectors.mapping(Section::stack, Collectors.toList())));
        grouped.forEach((titleAndBlocks, stacks) -> doc.heading(level, familyOf.containsKey(stacks.get(0))
                ? titleAndBlocks.get(0) + " (" + where(stacks) + ")" : titleAndBlocks.get(0))
                .append(titleAndBlocks.get(1)));
    }
}
