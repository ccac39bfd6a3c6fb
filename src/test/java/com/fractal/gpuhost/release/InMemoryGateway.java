package com.fractal.gpuhost.release;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One account's SSM parameters with their histories, AMIs with their tags and launch permissions, and a topic,
 * per region, in memory; a write in a chosen region can be made to fail, and the whole gateway can be made
 * unreachable.
 */
final class InMemoryGateway implements ReleaseGateway {
    final Map<String, Map<String, List<Version>>> parameters = new HashMap<>();
    final Map<String, Map<String, Image>> images = new HashMap<>();
    final List<String> published = new ArrayList<>();
    /** Per region and AMI: whom it is shared with, as {@link ReleaseGateway#launchPermissions} says it. */
    final Map<String, Map<String, Set<String>>> launchPermissions = new HashMap<>();
    /** Every tag call as "region id,id,... key=value", snapshots included. */
    final List<String> tagCalls = new ArrayList<>();
    String failWritesIn;
    boolean unreachable;
    int writes;

    void putLatest(final String region, final String name, final String amiId) {
        putImageParameter(region, name, amiId, "written by Image Builder");
    }

    void addImage(final String region, final String id, final String name, final Map<String, String> tags) {
        images.computeIfAbsent(region, r -> new LinkedHashMap<>()).put(id,
                new Image(id, name, "available", "2026-11-30T10:00:00.000Z", tags, List.of("snap-" + id.substring(4))));
    }

    Optional<String> tag(final String region, final String id, final String key) {
        return Optional.ofNullable(images.get(region).get(id)).map(image -> image.tags().get(key));
    }

    private void reach() {
        if (unreachable) {
            throw new GatewayException("cannot reach AWS at http://127.0.0.1:9 (Connection refused)");
        }
    }

    @Override
    public Optional<String> parameter(final String region, final String name) {
        reach();
        List<Version> versions = parameters.getOrDefault(region, Map.of()).getOrDefault(name, List.of());
        return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1).value());
    }

    @Override
    public List<Version> history(final String region, final String name) {
        reach();
        return List.copyOf(parameters.getOrDefault(region, Map.of()).getOrDefault(name, List.of()));
    }

    @Override
    public void putImageParameter(final String region, final String name, final String amiId,
            final String description) {
        reach();
        if (region.equals(failWritesIn)) {
            throw new GatewayException(region + ": writing " + name + ": ParameterMaxVersionLimitExceeded: injected");
        }
        writes++;
        List<Version> versions = parameters.computeIfAbsent(region, r -> new HashMap<>())
                .computeIfAbsent(name, n -> new ArrayList<>());
        versions.add(new Version(versions.size() + 1L, amiId, description));
    }

    @Override
    public void deleteParameter(final String region, final String name) {
        parameters.getOrDefault(region, new HashMap<>()).remove(name);
    }

    @Override
    public Map<String, Image> images(final String region, final Collection<String> amiIds) {
        reach();
        Map<String, Image> found = new LinkedHashMap<>();
        amiIds.forEach(id -> Optional.ofNullable(images.getOrDefault(region, Map.of()).get(id))
                .ifPresent(image -> found.put(id, image)));
        return found;
    }

    /** Shares an AMI of this account, as Image Builder's distribution does. */
    void share(final String region, final String id, final String permission) {
        launchPermissions.computeIfAbsent(region, r -> new HashMap<>())
                .computeIfAbsent(id, i -> new LinkedHashSet<>()).add(permission);
    }

    @Override
    public Set<String> launchPermissions(final String region, final String amiId) {
        reach();
        return Set.copyOf(launchPermissions.getOrDefault(region, Map.of()).getOrDefault(amiId,
                Set.of()));
    }

    @Override
    public Optional<Image> ownImage(final String region, final String name) {
        reach();
        return images.getOrDefault(region, Map.of()).values().stream().filter(image -> image.name().equals(name))
                .findFirst();
    }

    @Override
    public void tag(final String region, final Collection<String> resourceIds, final String key, final String value) {
        tagCalls.add(region + " " + String.join(",", resourceIds) + " " + key + "=" + value);
        retag(region, resourceIds, tags -> tags.put(key, value));
    }

    @Override
    public void untag(final String region, final Collection<String> resourceIds, final String key) {
        retag(region, resourceIds, tags -> tags.remove(key));
    }

    private void retag(final String region, final Collection<String> ids,
            final java.util.function.Consumer<Map<String, String>> change) {
        reach();
        for (String id : ids) {
            Image image = images.get(region).get(id);
            if (image != null) {
                Map<String, String> tags = new HashMap<>(image.tags());
                change.accept(tags);
                images.get(region).put(id, new Image(image.id(), image.name(), image.state(), image.creationDate(),
                        tags, image.snapshotIds()));
            }
        }
    }

    @Override
    public void publish(final String region, final String topicArn, final String subject, final String message) {
        published.add(region + " " + topicArn + " " + subject);
    }
}
