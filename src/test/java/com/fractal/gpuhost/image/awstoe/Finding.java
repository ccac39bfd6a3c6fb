package com.fractal.gpuhost.image.awstoe;

/**
 * One problem in a component document: where (document, phase, step; "-" when not within one), which
 * rule found it, and what is wrong.
 */
public record Finding(String document, String phase, String step, String rule, String message) {
    public static final String NONE = "-";

    @Override
    public String toString() {
        return document + " [phase " + phase + ", step " + step + "] " + rule + ": " + message;
    }
}
