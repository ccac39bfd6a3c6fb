package com.fractal.gpuhost.audit.render;

import com.fractal.gpuhost.audit.render.ReportDocument.Block;
import com.fractal.gpuhost.audit.render.ReportDocument.Bullets;
import com.fractal.gpuhost.audit.render.ReportDocument.Heading;
import com.fractal.gpuhost.audit.render.ReportDocument.Paragraph;
import com.fractal.gpuhost.audit.render.ReportDocument.Table;
import java.util.List;

/** Writes a report document as one self-contained HTML page: inline CSS, no scripts, no external assets. */
public final class HtmlWriter {
    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:110rem;\
            padding:0 1rem;color:#1f2328;line-height:1.45}
            h1{border-bottom:2px solid #d0d7de}h2{border-bottom:1px solid #d0d7de;margin-top:2.5rem}
            table{border-collapse:collapse;margin:.5rem 0 1.25rem;font-size:.9rem}
            th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}
            th{background:#f6f8fa}tr:nth-child(even) td{background:#fbfcfd}
            code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em;\
            overflow-wrap:anywhere}
            td:has(code){min-width:9rem}
            .sev{font-weight:bold;text-transform:uppercase;white-space:nowrap}
            tr td.sev-critical{color:#fff;background:#a40e26}tr td.sev-high{color:#fff;background:#bc4c00}
            tr td.sev-medium{background:#fff3b0}tr td.sev-low{background:#ddf4ff}
            tr td.sev-ok{color:#116329;background:#dafbe1}tr td.sev-failed{color:#fff;background:#a40e26}
            tr td.sev-stale{background:#ffd8b5}tr td.sev-excepted{color:#57606a;background:#eaeef2}
            nav ul{columns:2}
            """;

    private HtmlWriter() {
    }

    public static String write(final ReportDocument document) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(document.title())).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>").append(escape(document.title())).append("</h1>\n");
        List<Heading> sections = document.sections();
        if (sections.size() > 1) {
            html.append("<nav><ul>\n");
            sections.forEach(s -> html.append("<li><a href=\"#").append(s.anchor()).append("\">")
                    .append(escape(s.text())).append("</a></li>\n"));
            html.append("</ul></nav>\n");
        }
        for (Block block : document.blocks()) {
            if (block instanceof Heading heading) {
                html.append("<h").append(heading.level()).append(" id=\"").append(heading.anchor()).append("\">")
                        .append(escape(heading.text())).append("</h").append(heading.level()).append(">\n");
            } else if (block instanceof Paragraph paragraph) {
                html.append("<p>");
                if (!paragraph.label().isEmpty()) {
                    html.append("<strong>").append(escape(paragraph.label())).append("</strong> ");
                }
                html.append(escape(paragraph.text())).append("</p>\n");
            } else if (block instanceof Bullets bullets) {
                html.append("<ul>\n");
                bullets.items().forEach(item -> html.append("<li>").append(escape(item)).append("</li>\n"));
                html.append("</ul>\n");
            } else if (block instanceof Table table) {
                table(html, table);
            }
        }
        return html.append("</body>\n</html>\n").toString();
    }

    private static void table(final StringBuilder html, final Table table) {
        html.append("<table>\n<thead><tr>");
        table.headers().forEach(h -> html.append("<th>").append(escape(h)).append("</th>"));
        html.append("</tr></thead>\n<tbody>\n");
        for (List<String> row : table.rows()) {
            html.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                String value = row.get(i);
                if (i == table.severityColumn() && !value.isEmpty()) {
                    html.append("<td class=\"sev sev-").append(escape(value.toLowerCase())).append("\">")
                            .append(escape(value)).append("</td>");
                } else {
                    html.append("<td>").append(cell(value, table.codeColumns().contains(i))).append("</td>");
                }
            }
            html.append("</tr>\n");
        }
        html.append("</tbody>\n</table>\n");
    }

    private static String cell(final String value, final boolean code) {
        StringBuilder cell = new StringBuilder();
        String[] lines = value.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                cell.append("<br>");
            }
            if (code && !lines[i].isEmpty()) {
                cell.append("<code>").append(escape(lines[i])).append("</code>");
            } else {
                cell.append(escape(lines[i]));
            }
        }
        return cell.toString();
    }

    static String escape(final String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
