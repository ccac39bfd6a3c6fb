package com.fractal.gpuhost.audit.render;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * The report's Markdown as one self-contained HTML page (inline CSS, no scripts, no external assets), rendered by
 * commonmark-java, so the page says exactly what the Markdown says.
 */
public final class HtmlPage {
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
            td strong{white-space:nowrap}
            tr td:has(>strong.ok){color:#116329;background:#dafbe1}
            tr td:has(>strong.failed){color:#fff;background:#a40e26}
            tr td:has(>strong.stale){background:#ffd8b5}tr td:has(>strong.excepted){color:#57606a;background:#eaeef2}
            h1+ul{columns:2}
            """;
    private static final List<Extension> TABLES = List.of(TablesExtension.create());
    private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();

    private HtmlPage() {
    }

    /** The page of a Markdown document whose first line is its title ("# ..."). */
    public static String of(final String markdown) {
        Node document = Parser.builder().extensions(TABLES).build().parse(markdown);
        String title = TEXT.render(document.getFirstChild()).strip().replace("&", "&amp;").replace("<", "&lt;");
        String body = HtmlRenderer.builder().extensions(TABLES).attributeProviderFactory(context -> HtmlPage::attributes)
                .build().render(document);
        return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" + title
                + "</title>\n<style>\n" + STYLE + "</style>\n</head>\n<body>\n" + body + "</body>\n</html>\n";
    }

    /**
     * A heading gets the id the Markdown's contents link to (GitHub's slug); a status set in bold in a table cell
     * gets a class named after it, for its colour.
     */
    private static void attributes(final Node node, final String tag, final Map<String, String> attributes) {
        if (node instanceof Heading) {
            attributes.put("id", Markdown.slug(TEXT.render(node).strip()));
        } else if (node instanceof StrongEmphasis && node.getParent() instanceof TableCell) {
            attributes.put("class", TEXT.render(node).strip().toLowerCase(Locale.ROOT));
        }
    }
}
