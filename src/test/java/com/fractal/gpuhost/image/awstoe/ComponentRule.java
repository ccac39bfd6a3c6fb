package com.fractal.gpuhost.image.awstoe;

import java.util.List;

/** One check of a component document. Each rule is one class, named after what it requires. */
public interface ComponentRule {
    List<Finding> check(AwstoeDocument document);

    default String id() {
        return getClass().getSimpleName();
    }

    default Finding finding(final AwstoeDocument document, final String message) {
        return new Finding(document.name(), Finding.NONE, Finding.NONE, id(), message);
    }

    default Finding finding(final AwstoeDocument document, final String phase, final String message) {
        return new Finding(document.name(), phase, Finding.NONE, id(), message);
    }

    default Finding finding(final AwstoeDocument document, final AwstoeDocument.Step step,
            final String message) {
        return new Finding(document.name(), step.phase(), step.name(), id(), message);
    }
}
