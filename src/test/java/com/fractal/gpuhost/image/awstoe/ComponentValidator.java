package com.fractal.gpuhost.image.awstoe;

import com.fractal.gpuhost.image.awstoe.rules.BashStepsUseStrictMode;
import com.fractal.gpuhost.image.awstoe.rules.ConstantDeclarationsWellFormed;
import com.fractal.gpuhost.image.awstoe.rules.InlineDataSize;
import com.fractal.gpuhost.image.awstoe.rules.KnownActionsWithRequiredInputs;
import com.fractal.gpuhost.image.awstoe.rules.KnownPhaseNames;
import com.fractal.gpuhost.image.awstoe.rules.KnownStepProperties;
import com.fractal.gpuhost.image.awstoe.rules.MaxAttemptsRange;
import com.fractal.gpuhost.image.awstoe.rules.NoAccountSpecificValues;
import com.fractal.gpuhost.image.awstoe.rules.OnFailureValues;
import com.fractal.gpuhost.image.awstoe.rules.ParameterDeclarationsWellFormed;
import com.fractal.gpuhost.image.awstoe.rules.ParameterReferencesQuoted;
import com.fractal.gpuhost.image.awstoe.rules.ParametersDeclaredBeforeUse;
import com.fractal.gpuhost.image.awstoe.rules.RequiredTopLevelKeys;
import com.fractal.gpuhost.image.awstoe.rules.SchemaVersionIsOnePointZero;
import com.fractal.gpuhost.image.awstoe.rules.StepNamesUniqueWithinPhase;
import com.fractal.gpuhost.image.awstoe.rules.StepNamesValid;
import com.fractal.gpuhost.image.awstoe.rules.TimeoutSecondsRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks AWSTOE component documents against the document format, since no public schema exists and the
 * awstoe binary is not available offline. The rules only assemble here; each is one class in rules/.
 */
public final class ComponentValidator {
    public static final List<ComponentRule> RULES = List.of(
            new RequiredTopLevelKeys(),
            new SchemaVersionIsOnePointZero(),
            new KnownPhaseNames(),
            new StepNamesValid(),
            new StepNamesUniqueWithinPhase(),
            new KnownStepProperties(),
            new KnownActionsWithRequiredInputs(),
            new ParameterDeclarationsWellFormed(),
            new ConstantDeclarationsWellFormed(),
            new ParametersDeclaredBeforeUse(),
            new ParameterReferencesQuoted(),
            new InlineDataSize(),
            new OnFailureValues(),
            new TimeoutSecondsRange(),
            new MaxAttemptsRange(),
            new BashStepsUseStrictMode(),
            new NoAccountSpecificValues());

    private ComponentValidator() {
    }

    /** Every finding of every rule for one document. */
    public static List<Finding> validate(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (ComponentRule rule : RULES) {
            findings.addAll(rule.check(document));
        }
        return findings;
    }

    /** The *.yml documents of a folder, sorted by file name. */
    public static List<AwstoeDocument> loadAll(final Path folder) {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .map(AwstoeDocument::load)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list component documents in " + folder, e);
        }
    }
}
