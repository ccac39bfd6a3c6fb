package com.fractal.gpuhost.audit.render;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
    /** The page's stylesheet, report.css beside this class, read once and inlined into every page. */
    private static final String STYLE = stylesheet();
    private static final List<Extension> TABLES = List.of(TablesExtension.create());
    private static final TextContentRenderer TEXT = TextContentRenderer.builder().build();

    private HtmlPage() {
    }

    private static String stylesheet() {
        try (InputStream css = HtmlPage.class.getResourceAsStream("report.css")) {
            return new String(css.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
