package com.fractal.gpuhost.audit.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A GitHub-flavoured Markdown document written block by block from plain text: what Markdown would take as markup
 * is escaped. Each text passes through {@code normalize} first, so that a part about one stack can be compared
 * with the same part about another (see RegionGroups).
 */
public final class Markdown {
    private final StringBuilder blocks = new StringBuilder();
    private final List<String> sections = new ArrayList<>();
    private final UnaryOperator<String> normalize;

    public Markdown(final UnaryOperator<String> normalize) {
        this.normalize = normalize;
    }

    public Markdown heading(final int level, final String text) {
        if (level == 2) {
            sections.add(text);
        }
        blocks.append("#".repeat(level)).append(' ').append(text(text)).append("\n\n");
        return this;
    }

    public Markdown paragraph(final String text) {
        return paragraph("", text);
    }

    /** A paragraph; {@code label} (may be empty) is set in bold before it. */
    public Markdown paragraph(final String label, final String text) {
        if (!label.isEmpty()) {
            blocks.append("**").append(text(label)).append("** ");
        }
        blocks.append(text(text)).append("\n\n");
        return this;
    }

    public Markdown bullets(final List<String> items) {
        items.forEach(item -> blocks.append("- ").append(text(item)).append('\n'));
        blocks.append('\n');
        return this;
    }

    /**
     * A table of plain-text cells (a cell may hold several lines).
     *
     * @param codeColumns columns whose values are identifiers or expressions, set in code type
     * @param statusColumn the column holding a status, set in bold (and coloured in HTML), or -1
     */
    public Markdown table(final List<String> headers, final List<List<String>> rows, final Set<Integer> codeColumns,
            final int statusColumn) {
        blocks.append("| ").append(String.join(" | ", headers.stream().map(h -> cell(h, false)).toList()))
                .append(" |\n|").append(" --- |".repeat(headers.size())).append('\n');
        for (List<String> row : rows) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                String value = row.get(i);
                cells.add(i == statusColumn && !value.isEmpty() ? "**" + cell(value, false) + "**"
                        : cell(value, codeColumns.contains(i)));
            }
            blocks.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        blocks.append('\n');
        return this;
    }

    /** Adds the blocks of another document, as they were written there. */
    public Markdown append(final String written) {
        blocks.append(written);
        return this;
    }

    /** The blocks written so far, without a title. */
    public String blocks() {
        return blocks.toString();
    }

    /** The whole document: its title, a contents list when it has several level-2 headings, then its blocks. */
    public String document(final String title) {
        StringBuilder md = new StringBuilder("# ").append(text(title)).append("\n\n");
        if (sections.size() > 1) {
            sections.forEach(s -> md.append("- [").append(text(s)).append("](#").append(slug(s)).append(")\n"));
            md.append('\n');
        }
        return md.append(blocks).toString();
    }

    /** GitHub's heading anchor: lowercase, punctuation dropped, spaces to hyphens. */
    static String slug(final String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    /** A table cell: pipes escaped, lines joined with <br>, code cells in backticks line by line. */
    private String cell(final String value, final boolean code) {
        List<String> lines = new ArrayList<>();
        for (String line : normalize.apply(value).split("\n", -1)) {
            lines.add(code ? code(line) : escape(line));
        }
        return String.join("<br>", lines).replace("|", "\\|");
    }

    private static String code(final String value) {
        // A backtick inside needs a longer fence, set off by spaces.
        return value.isEmpty() ? "" : value.contains("`") ? "`` " + value + " ``" : "`" + value + "`";
    }

    private String text(final String value) {
        return escape(normalize.apply(value));
    }

    /** Plain text: characters Markdown would take as markup are escaped. */
    private static String escape(final String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")
                .replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]").replace("\n", " ");
    }
}
