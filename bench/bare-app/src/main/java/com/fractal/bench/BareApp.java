package com.fractal.bench;

import software.amazon.awscdk.App;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;

/** The benchmark's floor: the JVM, the jsii runtime and aws-cdk-lib, one empty stack, a synth. */
public final class BareApp {
    private BareApp() {
    }

    public static void main(final String[] args) {
        App app = new App();
        new Stack(app, "BareStack", StackProps.builder().analyticsReporting(false).build());
        app.synth();
    }
}
