package com.fractal.gpuhost.image.awstoe.rules;

import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.List;

/** A document fits Image Builder's inline component data: at most 16,000 characters. */
public final class InlineDataSize implements ComponentRule {
    public static final int MAX_CHARACTERS = 16_000;

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        int size = document.source().length();
        return size <= MAX_CHARACTERS ? List.of()
                : List.of(finding(document, "the document has " + size + " characters; inline component data "
                        + "allows at most " + MAX_CHARACTERS));
    }
}
