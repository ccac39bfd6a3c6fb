package com.fractal.gpuhost.audit.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The report as a sequence of plain blocks (headings, paragraphs, tables, lists), written out as Markdown by
 * {@link MarkdownWriter}; the HTML page is rendered from that Markdown ({@link HtmlPage}).
 */
public record ReportDocument(String title, List<Block> blocks) {
    public sealed interface Block permits Heading, Paragraph, Table, Bullets {
    }

    /** A heading; its anchor is the slug GitHub gives it, so Markdown links and HTML ids agree. */
    public record Heading(int level, String text) implements Block {
        public String anchor() {
            return slug(text);
        }
    }

    /** A paragraph of plain text; {@code label} (may be empty) is set in bold before it. */
    public record Paragraph(String label, String text) implements Block {
    }

    /**
     * A table of plain-text cells (a cell may hold several lines).
     *
     * @param codeColumns columns whose values are identifiers or expressions, set in code type
     * @param severityColumn the column holding a status, set in bold (and coloured in HTML), or -1
     */
    public record Table(List<String> headers, List<List<String>> rows, Set<Integer> codeColumns, int severityColumn)
            implements Block {
    }

    public record Bullets(List<String> items) implements Block {
    }

    public ReportDocument(final String title) {
        this(title, new ArrayList<>());
    }

    public ReportDocument add(final Block block) {
        blocks.add(block);
        return this;
    }

    public ReportDocument heading(final int level, final String text) {
        return add(new Heading(level, text));
    }

    public ReportDocument paragraph(final String text) {
        return add(new Paragraph("", text));
    }

    public ReportDocument paragraph(final String label, final String text) {
        return add(new Paragraph(label, text));
    }

    public ReportDocument table(final List<String> headers, final List<List<String>> rows,
            final Set<Integer> codeColumns, final int severityColumn) {
        return add(new Table(List.copyOf(headers), List.copyOf(rows), Set.copyOf(codeColumns), severityColumn));
    }

    public ReportDocument bullets(final List<String> items) {
        return add(new Bullets(List.copyOf(items)));
    }

    /** The level-2 headings, for a table of contents. */
    public List<Heading> sections() {
        return blocks.stream().filter(block -> block instanceof Heading heading && heading.level() == 2)
                .map(Heading.class::cast).toList();
    }

    /** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens. */
    static String slug(final String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
