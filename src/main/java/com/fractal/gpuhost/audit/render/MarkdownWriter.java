package com.fractal.gpuhost.audit.render;

import com.fractal.gpuhost.audit.render.ReportDocument.Block;
import com.fractal.gpuhost.audit.render.ReportDocument.Bullets;
import com.fractal.gpuhost.audit.render.ReportDocument.Heading;
import com.fractal.gpuhost.audit.render.ReportDocument.Paragraph;
import com.fractal.gpuhost.audit.render.ReportDocument.Table;
import java.util.ArrayList;
import java.util.List;

/** Writes a report document as GitHub-flavoured Markdown. */
public final class MarkdownWriter {
    private MarkdownWriter() {
    }

    public static String write(final ReportDocument document) {
        StringBuilder md = new StringBuilder("# ").append(text(document.title())).append("\n\n");
        List<Heading> sections = document.sections();
        if (sections.size() > 1) {
            sections.forEach(s -> md.append("- [").append(text(s.text())).append("](#").append(s.anchor()).append(")\n"));
            md.append('\n');
        }
        for (Block block : document.blocks()) {
            if (block instanceof Heading heading) {
                md.append("#".repeat(heading.level())).append(' ').append(text(heading.text())).append("\n\n");
            } else if (block instanceof Paragraph paragraph) {
                if (!paragraph.label().isEmpty()) {
                    md.append("**").append(text(paragraph.label())).append("** ");
                }
                md.append(text(paragraph.text())).append("\n\n");
            } else if (block instanceof Bullets bullets) {
                bullets.items().forEach(item -> md.append("- ").append(text(item)).append('\n'));
                md.append('\n');
            } else if (block instanceof Table table) {
                table(md, table);
            }
        }
        return md.toString();
    }

    private static void table(final StringBuilder md, final Table table) {
        List<String> header = new ArrayList<>();
        table.headers().forEach(h -> header.add(cell(h, false)));
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append(" --- |".repeat(table.headers().size())).append('\n');
        for (List<String> row : table.rows()) {
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < row.size(); i++) {
                String value = row.get(i);
                cells.add(i == table.severityColumn() && !value.isEmpty() ? "**" + cell(value, false) + "**"
                        : cell(value, table.codeColumns().contains(i)));
            }
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        md.append('\n');
    }

    /** A table cell: pipes escaped, lines joined with <br>, code cells in backticks line by line. */
    private static String cell(final String value, final boolean code) {
        if (value.isEmpty()) {
            return "";
        }
        List<String> lines = new ArrayList<>();
        for (String line : value.split("\n", -1)) {
            lines.add(code ? code(line) : text(line));
        }
        return String.join("<br>", lines).replace("|", "\\|");
    }

    private static String code(final String value) {
        if (value.isEmpty()) {
            return "";
        }
        String fence = value.contains("`") ? "`` " : "`";
        String close = value.contains("`") ? " ``" : "`";
        return fence + value + close;
    }

    /** Plain text: characters Markdown would take as markup are escaped. */
    private static String text(final String value) {
        return value.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("`", "\\`")
                .replace("<", "&lt;").replace("[", "\\[").replace("]", "\\]").replace("\n", " ");
    }
}
