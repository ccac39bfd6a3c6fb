package com.fractal.gpuhost.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One setting, declared once: its key, its type (how it is read), whether its default lives in cdk.json,
 * what it may hold, the check that holds it to that, and what it means. The loader runs the declared
 * checks; every refusal ends with "; allowed: " and the declared allowed text, so the text a user reads
 * is the one the documentation tables show ({@link SettingsTable}). A bounded setting also states the
 * values at and just past its bounds ({@link #boundaries()}), and a test holds the check to them.
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
     * The check of one read value (of each item, for a list): empty when the value is allowed, else what is
     * wrong with it, e.g. "is not an AWS account ID" (the refusal adds what is allowed).
     */
    @FunctionalInterface
    interface Check<V> {
        Optional<String> problem(V value);

        static <V> Check<V> none() {
            return value -> Optional.empty();
        }

        static <V> Check<V> that(final Predicate<V> holds, final String problem) {
            return value -> holds.test(value) ? Optional.empty() : Optional.of(problem);
        }

        static Check<String> matches(final Pattern pattern, final String problem) {
            return that(pattern.asMatchPredicate(), problem);
        }

        /** This check, then the next one on a value this one allows. */
        default Check<V> and(final Check<V> next) {
            return value -> problem(value).or(() -> next.problem(value));
        }
    }

    /**
     * A value at one of the setting's bounds, or just past one, as {@code -c key=value} gives it, and whether
     * the setting's check accepts it.
     */
    public record Boundary(String value, boolean accepted, Optional<Refusal> inside) {
        /** A value at or past a bound of the setting's value itself: a refusal names the key and this value. */
        public Boundary(final String value, final boolean accepted) {
            this(value, accepted, Optional.empty());
        }

        static Boundary at(final Object value) {
            return new Boundary(String.valueOf(value), true);
        }

        static Boundary past(final Object value) {
            return new Boundary(String.valueOf(value), false);
        }

        /** A value just past a bound of one field inside a structured setting: refused as {@code refusal} says. */
        static Boundary past(final Object value, final Refusal refusal) {
            return new Boundary(String.valueOf(value), false, Optional.of(refusal));
        }
    }

    /**
     * How a value inside a structured setting is refused: at which key path (key.entry.field), quoting what,
     * and naming that field's allowed text.
     */
    public record Refusal(String keyPath, String quoted, String allowed) {
    }

    /**
     * One field of an entry of a structured setting, declared with its check: its name, how the setting's
     * allowed text shows it, the check of its value (of each item, for a list) and what it may hold.
     */
    record Field(String name, String shape, Check<String> check, String allowed) {
        /** The entry's shape as the setting's allowed text shows it, e.g. {"vpcId": …, "subnetIds": […]}. */
        static String shapeOf(final List<Field> fields) {
            return fields.stream().map(field -> "\"" + field.name() + "\": " + field.shape())
                    .collect(Collectors.joining(", ", "`{", "}`"));
        }
    }

    /** Reads and checks one entry of a structured setting, recording a problem for each bad field. */
    @FunctionalInterface
    interface Entry<V> {
        V read(EntryFields entry);
    }

    /**
     * A structured setting's value: every entry name given (so a relation can tell an undefined name from a
     * refused entry) and the entries the declared check accepted.
     */
    public record Entries<V>(List<String> names, Map<String, V> accepted) {
        public Entries {
            names = List.copyOf(names);
            accepted = Collections.unmodifiableMap(new LinkedHashMap<>(accepted));
        }

        Optional<V> get(final String name) {
            return Optional.ofNullable(accepted.get(name));
        }
    }

    /**
     * A length range of a text (after a fixed prefix, such as the T of a Slack workspace ID), stated once for
     * the check, the allowed text and the boundary values.
     *
     * @param prefix what every value starts with ("" for none)
     * @param filler a character the rest may consist of, to make values of a given length
     */
    record Length(int min, int max, String prefix, char filler) {
        Check<String> check() {
            return Check.that(text -> text.startsWith(prefix) && text.length() - prefix.length() >= min
                    && text.length() - prefix.length() <= max, "is not allowed");
        }

        /** The values at each bound and just past it; an empty value means "not set", so it is not one of them. */
        List<Boundary> boundaries() {
            List<Boundary> values = new ArrayList<>();
            values.add(Boundary.at(sample(min)));
            if (min > 1 || (min == 1 && !prefix.isEmpty())) {
                values.add(Boundary.past(sample(min - 1)));
            }
            values.add(Boundary.at(sample(max)));
            values.add(Boundary.past(sample(max + 1)));
            return values;
        }

        private String sample(final int length) {
            return prefix + String.valueOf(filler).repeat(length);
        }
    }

    private final String key;
    private final Group group;
    private final boolean defaultInCdkJson;
    private final String absentMeans;
    private final String allowed;
    private final String description;
    private final Reader<T> reader;
    private final List<Boundary> boundaries;

    private Setting(final String key, final Group group, final boolean defaultInCdkJson, final String absentMeans,
            final String allowed, final String description, final List<Boundary> boundaries, final Reader<T> reader) {
        this.key = key;
        this.group = group;
        this.defaultInCdkJson = defaultInCdkJson;
        this.absentMeans = absentMeans;
        this.allowed = allowed;
        this.description = description;
        this.boundaries = List.copyOf(boundaries);
        this.reader = reader;
    }

    /** A whole number from min to max; its default is in cdk.json. */
    static Setting<Integer> wholeNumber(final String key, final Group group, final int min, final int max,
            final String description) {
        return steppedNumber(key, group, min, max, 1, "a whole number from " + min + " to " + max, description);
    }

    /** A multiple of step from min to max (min itself a multiple); {@code note} follows the generated text. */
    static Setting<Integer> multipleOf(final String key, final Group group, final int step, final int min,
            final int max, final String note, final String description) {
        return steppedNumber(key, group, min, max, step, "a multiple of " + step + " from " + min + " to " + max
                + note, description);
    }

    private static Setting<Integer> steppedNumber(final String key, final Group group, final int min, final int max,
            final int step, final String allowed, final String description) {
        List<Boundary> bounds = List.of(Boundary.at(min), Boundary.past(min - step), Boundary.at(max),
                Boundary.past(max + step));
        return new Setting<>(key, group, true, "", allowed, description, bounds, (values, setting) -> {
            Object raw = values.raw(key);
            if (raw == null) {
                values.missing(key, allowed);
                return min;
            }
            Integer number = ContextValues.toInteger(raw);
            if (number == null || number < min || number > max || (number - min) % step != 0) {
                setting.refuse(values, raw, "is not allowed");
                return min;
            }
            return number;
        });
    }

    static Setting<Boolean> flag(final String key, final Group group, final String description) {
        return new Setting<>(key, group, true, "", "true or false", description, List.of(),
                (values, setting) -> values.bool(key));
    }

    /** A string that must be set (its default is in cdk.json); "" when it is missing or refused. */
    static Setting<String> text(final String key, final Group group, final Check<String> check, final String allowed,
            final String description) {
        return new Setting<>(key, group, true, "", allowed, description, List.of(), (values, setting) -> {
            String value = values.requiredString(key, allowed);
            if (value.isEmpty() && values.raw(key) != null) {
                setting.refuse(values, value, "is empty");
            }
            return value.isEmpty() || setting.accepts(values, value, check) ? value : "";
        });
    }

    /** A port range FROM-TO with lowest <= FROM <= TO <= highest; its default is in cdk.json. */
    static Setting<PortRange> portRange(final String key, final Group group, final int lowest, final int highest,
            final String description) {
        Pattern range = Pattern.compile("(\\d{1,5})-(\\d{1,5})");
        String allowed = "a port range FROM-TO within " + lowest + "-" + highest + ", FROM not above TO, such as "
                + "32768-65535";
        List<Boundary> bounds = List.of(Boundary.at(lowest + "-" + lowest), Boundary.past((lowest - 1) + "-2000"),
                Boundary.at(lowest + "-" + highest), Boundary.past(lowest + "-" + (highest + 1)));
        return new Setting<>(key, group, true, "", allowed, description, bounds, (values, setting) -> {
            String text = values.requiredString(key, allowed);
            Matcher match = range.matcher(text);
            if (match.matches()) {
                int from = Integer.parseInt(match.group(1));
                int to = Integer.parseInt(match.group(2));
                if (from >= lowest && from <= to && to <= highest) {
                    return new PortRange(from, to);
                }
            }
            if (values.raw(key) != null) {
                setting.refuse(values, text, "is not allowed");
            }
            return new PortRange(lowest, highest);
        });
    }

    /** A string that may be empty or absent; when present the check must allow it. */
    static Setting<Optional<String>> optionalText(final String key, final Group group, final boolean defaultInCdkJson,
            final String absentMeans, final Check<String> check, final String allowed, final String description) {
        return new Setting<>(key, group, defaultInCdkJson, absentMeans, allowed, description, List.of(),
                (values, setting) -> values.optionalString(key).filter(value -> setting.accepts(values, value, check)));
    }

    /** An optional IPv4 CIDR block no wider than /widestPrefix, given as its network address. */
    static Setting<Optional<String>> cidrBlock(final String key, final Group group, final int widestPrefix,
            final String description) {
        String allowed = "empty, or the network address of an IPv4 block of /" + widestPrefix + " to /32, such as "
                + "203.0.113.0/24 (your office or VPN)";
        Setting<Optional<String>> plain = optionalText(key, group, true, "", Cidrs.check(widestPrefix), allowed,
                description);
        return plain.bounded(List.of(Boundary.at("10.0.0.0/" + widestPrefix),
                Boundary.past("8.0.0.0/" + (widestPrefix - 1)), Boundary.at("203.0.113.7/32"),
                Boundary.past("203.0.113.7/33")));
    }

    /**
     * A list of strings (a JSON list, or comma-separated on the command line); each item must pass the check.
     *
     * @param nonEmpty  whether at least one item is required
     * @param distinct  whether each item may appear once only
     */
    static Setting<List<String>> list(final String key, final Group group, final boolean nonEmpty,
            final boolean distinct, final Check<String> check, final String allowed, final String description) {
        return new Setting<>(key, group, true, "", allowed, description, List.of(), (values, setting) -> {
            int before = values.problemCount();
            List<String> items = values.list(key);
            if (nonEmpty && items.isEmpty() && values.problemCount() == before) {
                values.bare(key + ": is missing or empty; allowed: " + allowed);
            }
            Set<String> seen = new HashSet<>();
            List<String> kept = new ArrayList<>();
            for (String item : items) {
                if (distinct && !seen.add(item)) {
                    setting.refuse(values, item, "is listed twice");
                } else if (setting.accepts(values, item, check)) {
                    kept.add(item);
                }
            }
            return kept;
        });
    }

    /** As {@link #list}, holding at most {@code maxItems}; {@code item} makes the i-th of a list at the bound. */
    static Setting<List<String>> list(final String key, final Group group, final int maxItems,
            final IntFunction<String> item, final Check<String> check, final String allowed, final String description) {
        Setting<List<String>> items = list(key, group, false, true, check, allowed, description);
        Setting<List<String>> bounded = new Setting<>(key, group, true, "", allowed, description, List.of(),
                (values, setting) -> {
                    List<String> read = items.read(values);
                    if (read.size() > maxItems) {
                        setting.refuse(values, read.size() + " items", "is too many");
                    }
                    return read;
                });
        return bounded.bounded(List.of(Boundary.at(items(maxItems, item)), Boundary.past(items(maxItems + 1, item))));
    }

    private static String items(final int count, final IntFunction<String> item) {
        List<String> list = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            list.add(item.apply(i));
        }
        return String.join(",", list);
    }

    /**
     * A JSON object of named entries (its JSON text on the command line): each name must pass nameCheck, each
     * entry may hold the declared fields only (a misspelt one is refused, as a misspelt key is), and the
     * declared {@link Entry} reads and checks them; a bad field is refused at its key path (key.name.field)
     * with that field's allowed text, a bad name or a malformed entry with the setting's.
     */
    static <V> Setting<Entries<V>> entries(final String key, final Group group, final Check<String> nameCheck,
            final List<Field> fields, final String allowed, final String description, final Entry<V> entry) {
        List<String> fieldNames = fields.stream().map(Field::name).toList();
        return new Setting<>(key, group, true, "", allowed, description, List.of(), (values, setting) -> {
            Map<String, Object> given = values.object(key);
            Map<String, V> accepted = new LinkedHashMap<>();
            given.forEach((name, raw) -> {
                if (!setting.accepts(values, name, nameCheck)) {
                    return;
                }
                if (!(raw instanceof Map<?, ?> entryFields)) {
                    values.problem(key + "." + name, raw, "is malformed; allowed: " + allowed);
                    return;
                }
                int before = values.problemCount();
                entryFields.keySet().stream().map(String::valueOf).filter(field -> !fieldNames.contains(field))
                        .forEach(field -> values.problem(key + "." + name, field, "is not a field; allowed: "
                                + String.join(", ", fieldNames)));
                V value = entry.read(new EntryFields(values, key + "." + name, name, entryFields));
                if (values.problemCount() == before) {
                    accepted.put(name, value);
                }
            });
            return new Entries<>(List.copyOf(given.keySet()), accepted);
        });
    }

    /** This declaration with the values at and just past its bounds, for the test that holds the check to them. */
    Setting<T> bounded(final List<Boundary> values) {
        return new Setting<>(key, group, defaultInCdkJson, absentMeans, allowed, description, values, reader);
    }

    T read(final ContextValues values) {
        return reader.read(values, this);
    }

    /** Records that the value is refused: what is wrong with it, and what this setting allows. */
    void refuse(final ContextValues values, final Object value, final String problem) {
        values.problem(key, value, problem + "; allowed: " + allowed);
    }

    private <V> boolean accepts(final ContextValues values, final V value, final Check<V> check) {
        Optional<String> problem = check.problem(value);
        problem.ifPresent(what -> refuse(values, value, what));
        return problem.isEmpty();
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

    /** The values at each bound and just past it; empty for a setting without bounds. */
    public List<Boundary> boundaries() {
        return boundaries;
    }

    @Override
    public String toString() {
        return key;
    }
}
