package com.fractal.gpuhost.settings;

/** An inclusive range of TCP/UDP ports. */
public record PortRange(int from, int to) {
    @Override
    public String toString() {
        return from + "-" + to;
    }
}
