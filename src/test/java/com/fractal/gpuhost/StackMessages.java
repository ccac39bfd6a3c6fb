package com.fractal.gpuhost;

import java.util.List;
import java.util.regex.Pattern;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.Stage;
import software.amazon.awscdk.cxapi.SynthesisMessage;
import software.amazon.awscdk.cxapi.SynthesisMessageLevel;

/**
 * The messages synthesis recorded on a stack (cdk-nag's findings, the app's own warnings), read from the assembly
 * its stage already synthesized. {@code Annotations.fromStack} would synthesize the whole app again on every call.
 */
public final class StackMessages {
    private StackMessages() {
    }

    /** The stack's messages at this level whose text matches the regular expression somewhere. */
    public static List<SynthesisMessage> find(final Stack stack, final SynthesisMessageLevel level, final String regex) {
        Pattern pattern = Pattern.compile(regex);
        return Stage.of(stack).synth().getStackArtifact(stack.getArtifactId()).getMessages().stream()
                .filter(m -> m.getLevel() == level && pattern.matcher(text(m)).find()).toList();
    }

    public static List<SynthesisMessage> errors(final Stack stack, final String regex) {
        return find(stack, SynthesisMessageLevel.ERROR, regex);
    }

    public static List<SynthesisMessage> warnings(final Stack stack, final String regex) {
        return find(stack, SynthesisMessageLevel.WARNING, regex);
    }

    /** Errors and warnings alike: what a gate must not find. */
    public static List<SynthesisMessage> errorsAndWarnings(final Stack stack, final String regex) {
        return java.util.stream.Stream.concat(errors(stack, regex).stream(), warnings(stack, regex).stream()).toList();
    }

    public static String text(final SynthesisMessage message) {
        return String.valueOf(message.getEntry().getData());
    }
}
