package com.fractal.gpuhost.drivers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Every image variant's driver pin: one file per variant in the variants folder, in name order. */
public record VariantPins(Path folder, Map<String, VariantPin> pins) {

    public VariantPins {
        pins = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(pins));
    }

    static VariantPins read(final Path folder) {
        if (!Files.isDirectory(folder)) {
            throw DriversException.usage("--variants " + folder + " is not a folder; allowed: the host-scripts/"
                    + "variants folder of this repository");
        }
        Map<String, VariantPin> pins = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(folder)) {
            files.filter(file -> file.getFileName().toString().endsWith(VariantPin.SUFFIX)).sorted()
                    .map(VariantPin::read).forEach(pin -> pins.put(pin.variant(), pin));
        } catch (IOException e) {
            throw DriversException.refused(folder + ": cannot be listed (" + e.getMessage() + ")");
        }
        if (pins.isEmpty()) {
            throw DriversException.usage(folder + " holds no variant (*" + VariantPin.SUFFIX + ")");
        }
        return new VariantPins(folder, pins);
    }

    /** The named variant's pin; an unknown name is a usage error naming the variants that exist. */
    VariantPin get(final String variant) {
        VariantPin pin = pins.get(variant);
        if (pin == null) {
            throw DriversException.usage("--variant " + variant + " is unknown; allowed: "
                    + String.join(", ", pins.keySet()));
        }
        return pin;
    }
}
