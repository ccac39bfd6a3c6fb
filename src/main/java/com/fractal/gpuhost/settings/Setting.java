package com.fractal.gpuhost.settings;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One setting, declared once: its key, its type (how it is read), whether its default lives in cdk.json,
 * what it may hold and what it means. The loader's known keys, the bounds it checks and the settings
 * tables of the README and docs/ci.md all come from these declarations ({@link SettingDeclarations}).
 *
 * @param <T> the type the setting is read as
 */
public final class Setting<T> {
    /** Which table of the documentation lists the setting. */
    public enum Group { GENERAL, DEV_INSTANCE, IMAGE_PIPELINE, SHARING, CI }

    /** Reads the setting's value from the context, recording a problem for a bad one. */
    @FunctionalInterface
    interface Reader<T> {
        T read(ContextValues values, Setting<T> setting);
    }

    /**
     * A check on a read value (on each item, for a list).
     *
     * @param holds   true for an allowed value
     * @param problem what is wrong, e.g. "is not an AWS account ID"
     */
    record Rule<V>(Predicate<V> holds, String problem) {
        static <V> Rule<V> none() {
            return new Rule<>(value -> true, "");
        }
    }

    private final String key;
    private final Group group;
    private final boolean defaultInCdkJson;
    private final String absentMeans;
    private final String allowed;
    private final String description;
    private final Reader<T> reader;

    private Setting(final String key, final Group group, final boolean defaultInCdkJson, final String absentMeans,
            final String allowed, final String description, final Reader<T> reader) {
        this.key = key;
        this.group = group;
        this.defaultInCdkJson = defaultInCdkJson;
        this.absentMeans = absentMeans;
        this.allowed = allowed;
        this.description = description;
        this.reader = reader;
    }

    /** A whole number within bounds; its default is in cdk.json. */
    static Setting<Integer> wholeNumber(final String key, final Group group, final int min, final int max,
            final Rule<Integer> rule, final String allowed, final String description) {
        return new Setting<>(key, group, true, "", allowed, description, (values, setting) -> {
            int value = values.integer(key, min, max);
            if (!rule.holds().test(value)) {
                values.problem(key, value, rule.problem() + "; allowed: " + allowed);
            }
            return value;
        });
    }

    static Setting<Integer> wholeNumber(final String key, final Group group, final int min, final int max,
            final String description) {
        return wholeNumber(key, group, min, max, Rule.none(), "a whole number from " + min + " to " + max, description);
    }

    static Setting<Boolean> flag(final String key, final Group group, final String description) {
        return new Setting<>(key, group, true, "", "true or false", description,
                (values, setting) -> values.bool(key));
    }

    /** A string that must be set (its default is in cdk.json); "" when it is missing (a problem is recorded). */
    static Setting<String> text(final String key, final Group group, final String allowed, final String description) {
        return new Setting<>(key, group, true, "", allowed, description,
                (values, setting) -> values.requiredString(key, allowed));
    }

    /** A string that may be empty or absent; when present it must satisfy the rule. */
    static Setting<Optional<String>> optionalText(final String key, final Group group, final boolean defaultInCdkJson,
            final String absentMeans, final Rule<String> rule, final String allowed, final String description) {
        return new Setting<>(key, group, defaultInCdkJson, absentMeans, allowed, description, (values, setting) -> {
            Optional<String> value = values.optionalString(key);
            value.filter(rule.holds().negate())
                    .ifPresent(bad -> values.problem(key, bad, rule.problem() + "; allowed: " + allowed));
            return value;
        });
    }

    /** A list of strings (a JSON list, or comma-separated on the command line); each item must satisfy the rule. */
    static Setting<List<String>> list(final String key, final Group group, final Rule<String> rule,
            final String allowed, final String description) {
        return new Setting<>(key, group, true, "", allowed, description, (values, setting) -> {
            List<String> items = values.list(key);
            items.stream().filter(rule.holds().negate())
                    .forEach(bad -> values.problem(key, bad, rule.problem() + "; allowed: " + allowed));
            return items;
        });
    }

    /** A JSON object (its JSON text on the command line); its content is checked by the loader. */
    static Setting<java.util.Map<String, Object>> object(final String key, final Group group, final String allowed,
            final String description) {
        return new Setting<>(key, group, true, "", allowed, description, (values, setting) -> values.object(key));
    }

    T read(final ContextValues values) {
        return reader.read(values, this);
    }

    public String key() {
        return key;
    }

    public Group group() {
        return group;
    }

    /** True when cdk.json must hold this key (its default); false when the key is only ever given with -c. */
    public boolean defaultInCdkJson() {
        return defaultInCdkJson;
    }

    /** What leaving the key out means, for a setting whose default is not in cdk.json. */
    public String absentMeans() {
        return absentMeans;
    }

    public String allowed() {
        return allowed;
    }

    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return key;
    }
}
