package com.fractal.gpuhost;

import software.amazon.awscdk.App;

/** Entry point: loads the settings and adds the stacks. */
public final class GpuHostApp {
    private GpuHostApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        app.synth();
    }
}
