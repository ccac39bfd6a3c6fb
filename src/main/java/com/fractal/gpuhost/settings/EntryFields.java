package com.fractal.gpuhost.settings;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The fields of one entry of a structured setting, read through their declarations ({@link Setting.Field}):
 * each value is held to its field's check, and a refusal names the key path (setting.entry.field), the value
 * and the field's allowed text. Nothing is thrown; what is refused reads as empty.
 */
final class EntryFields {
    private final ContextValues values;
    private final String path;
    private final String name;
    private final Map<?, ?> fields;

    EntryFields(final ContextValues values, final String path, final String name, final Map<?, ?> fields) {
        this.values = values;
        this.path = path;
        this.name = name;
        this.fields = fields;
    }

    /** The entry's name: a variant's name, a region. */
    String name() {
        return name;
    }

    /** A text field that must hold an allowed value; "" when it is refused. */
    String text(final Setting.Field field) {
        Object raw = fields.get(field.name());
        String value = raw == null ? "" : String.valueOf(raw);
        return accepts(field, value) ? value : "";
    }

    /** A text field that may be absent or empty; when given, its check must allow it. */
    Optional<String> optionalText(final Setting.Field field) {
        return Optional.ofNullable(fields.get(field.name())).map(String::valueOf).filter(value -> !value.isEmpty())
                .filter(value -> accepts(field, value));
    }

    /** A list field of one or more items, each held to the field's check (a refused item refuses the entry). */
    List<String> list(final Setting.Field field) {
        Object raw = fields.get(field.name());
        String key = path + "." + field.name();
        if (raw == null) {
            values.bare(key + ": is missing; allowed: a list of one or more: " + field.allowed());
            return List.of();
        }
        int before = values.problemCount();
        List<String> items = values.toStringList(key, raw);
        // A value that is not a list was reported as malformed already: not again as empty.
        if (items.isEmpty() && values.problemCount() == before) {
            values.bare(key + ": is empty; allowed: a list of one or more: " + field.allowed());
        }
        items.forEach(item -> accepts(field, item));
        return items;
    }

    /** Refuses a value of a field for what only the entry as a whole shows (a type outside its families). */
    void refuse(final Setting.Field field, final Object value, final String problem, final String allowed) {
        values.problem(path + "." + field.name(), value, problem + "; allowed: " + allowed);
    }

    private boolean accepts(final Setting.Field field, final String value) {
        Optional<String> problem = field.check().problem(value);
        problem.ifPresent(what -> refuse(field, value, what, field.allowed()));
        return problem.isEmpty();
    }
}
