package com.fractal.gpuhost.drivers;

import com.fractal.gpuhost.drivers.DriverGateway.StoredObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The GRID runfiles of AWS's driver bucket, by branch, oldest first within a branch; latest/ is left out. */
public final class UpstreamDrivers {
    private final Map<String, List<DriverKey>> byBranch = new TreeMap<>(Comparator.reverseOrder());
    private final Map<String, StoredObject> objects = new TreeMap<>();

    UpstreamDrivers(final List<StoredObject> listing) {
        for (StoredObject object : listing) {
            DriverKey.parse(object.key()).ifPresent(key -> {
                byBranch.computeIfAbsent(key.branch(), b -> new ArrayList<>()).add(key);
                objects.put(key.key(), object);
            });
        }
        byBranch.values().forEach(keys -> keys.sort(Comparator.naturalOrder()));
    }

    /** Branch names, newest driver major first. */
    Map<String, List<DriverKey>> byBranch() {
        return byBranch;
    }

    List<DriverKey> onBranch(final String branch) {
        return byBranch.getOrDefault(branch, List.of());
    }

    Optional<DriverKey> newest(final String branch) {
        List<DriverKey> keys = onBranch(branch);
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys.get(keys.size() - 1));
    }

    /** The keys on the pin's branch that are newer than the pin. */
    List<DriverKey> newerThan(final DriverKey pinned) {
        return onBranch(pinned.branch()).stream().filter(key -> key.compareTo(pinned) > 0).toList();
    }

    Optional<StoredObject> object(final String key) {
        return Optional.ofNullable(objects.get(key));
    }
}
