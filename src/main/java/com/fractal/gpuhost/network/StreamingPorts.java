package com.fractal.gpuhost.network;

/** The ports a streaming container listens on (fixed by the streaming protocol). */
final class StreamingPorts {
    static final int TCP_CONTROL = 32262;
    static final int UDP_MEDIA = 32263;
    static final int TCP_AUXILIARY = 32273;
    static final int SSH = 22;

    private StreamingPorts() {
    }
}
