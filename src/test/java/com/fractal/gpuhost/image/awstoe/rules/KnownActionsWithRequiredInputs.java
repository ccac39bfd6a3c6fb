package com.fractal.gpuhost.image.awstoe.rules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fractal.gpuhost.image.awstoe.AwstoeDocument;
import com.fractal.gpuhost.image.awstoe.ComponentRule;
import com.fractal.gpuhost.image.awstoe.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every step names an AWSTOE action module and gives that action's inputs in the shape it takes (a mapping,
 * or a list of mappings for the file transfer and file system actions) with each required key. Where the
 * reference lists every input of an action, unknown input keys are reported too; ExecuteBash's commands
 * must be a non-empty list of strings.
 */
public final class KnownActionsWithRequiredInputs implements ComponentRule {
    enum Shape { MAP, LIST_OF_MAPS, ANY }

    /**
     * What one action takes. {@code optional} null: the input keys are not all listed here, so unknown keys
     * are not reported. {@code inputsRequired} false: the step may leave out {@code inputs}.
     */
    record ActionSpec(Shape shape, Set<String> required, Set<String> optional, boolean inputsRequired) {
        static ActionSpec map(final Set<String> required, final Set<String> optional) {
            return new ActionSpec(Shape.MAP, required, optional, true);
        }

        static ActionSpec list(final Set<String> required, final Set<String> optional) {
            return new ActionSpec(Shape.LIST_OF_MAPS, required, optional, true);
        }

        static ActionSpec open(final Shape shape, final Set<String> required) {
            return new ActionSpec(shape, required, null, true);
        }
    }

    private static final Set<String> SOURCE_DESTINATION = Set.of("source", "destination");

    static final Map<String, ActionSpec> ACTIONS = Map.ofEntries(
            // General execution
            Map.entry("ExecuteBash", ActionSpec.map(Set.of("commands"), Set.of())),
            Map.entry("ExecuteBinary", ActionSpec.map(Set.of("path"), Set.of("arguments"))),
            Map.entry("ExecutePowerShell", ActionSpec.open(Shape.MAP, Set.of("commands"))),
            Map.entry("ExecuteDocument", ActionSpec.map(Set.of("document"), Set.of("phases", "parameters"))),
            Map.entry("Assert", ActionSpec.open(Shape.MAP, Set.of())),
            // File download and upload
            Map.entry("S3Download", ActionSpec.list(SOURCE_DESTINATION, Set.of("expectedBucketOwner", "overwrite"))),
            Map.entry("S3Upload", ActionSpec.list(SOURCE_DESTINATION, Set.of("expectedBucketOwner", "recurse"))),
            Map.entry("WebDownload", ActionSpec.list(SOURCE_DESTINATION,
                    Set.of("overwrite", "checksum", "algorithm", "ignoreCertificateErrors"))),
            // File system operations
            Map.entry("AppendFile", ActionSpec.list(Set.of("path", "content"), Set.of("encoding"))),
            Map.entry("CopyFile", ActionSpec.list(SOURCE_DESTINATION, Set.of("overwrite"))),
            Map.entry("CopyFolder", ActionSpec.list(SOURCE_DESTINATION, Set.of("overwrite"))),
            Map.entry("MoveFile", ActionSpec.list(SOURCE_DESTINATION, Set.of("overwrite"))),
            Map.entry("MoveFolder", ActionSpec.list(SOURCE_DESTINATION, Set.of("overwrite"))),
            Map.entry("CreateFile", ActionSpec.list(Set.of("path"),
                    Set.of("content", "encoding", "owner", "group", "permissions", "overwrite"))),
            Map.entry("CreateFolder", ActionSpec.list(Set.of("path"),
                    Set.of("owner", "group", "permissions", "overwrite"))),
            Map.entry("CreateSymlink", ActionSpec.list(SOURCE_DESTINATION, Set.of("force"))),
            Map.entry("DeleteFile", ActionSpec.list(Set.of("path"), Set.of())),
            Map.entry("DeleteFolder", ActionSpec.list(Set.of("path"), Set.of("force"))),
            Map.entry("ListFiles", ActionSpec.open(Shape.ANY, Set.of())),
            Map.entry("ReadFile", ActionSpec.open(Shape.MAP, Set.of("path"))),
            Map.entry("SetFileEncoding", ActionSpec.open(Shape.LIST_OF_MAPS, Set.of("path"))),
            Map.entry("SetFileOwner", ActionSpec.open(Shape.LIST_OF_MAPS, Set.of("path", "owner"))),
            Map.entry("SetFolderOwner", ActionSpec.open(Shape.LIST_OF_MAPS, Set.of("path", "owner"))),
            Map.entry("SetFilePermissions", ActionSpec.open(Shape.LIST_OF_MAPS, Set.of("path", "permissions"))),
            Map.entry("SetFolderPermissions", ActionSpec.open(Shape.LIST_OF_MAPS, Set.of("path", "permissions"))),
            // Software installation and system actions
            Map.entry("InstallMSI", ActionSpec.open(Shape.ANY, Set.of())),
            Map.entry("UninstallMSI", ActionSpec.open(Shape.ANY, Set.of())),
            Map.entry("SetRegistry", ActionSpec.open(Shape.ANY, Set.of())),
            Map.entry("Reboot", new ActionSpec(Shape.MAP, Set.of(), Set.of("delaySeconds"), false)),
            Map.entry("UpdateOS", new ActionSpec(Shape.MAP, Set.of(), Set.of("include", "exclude"), false)));

    @Override
    public List<Finding> check(final AwstoeDocument document) {
        List<Finding> findings = new ArrayList<>();
        for (AwstoeDocument.Step step : document.steps()) {
            JsonNode action = step.node().get("action");
            if (action == null || !action.isTextual()) {
                findings.add(finding(document, step, "the step has no 'action' string"));
                continue;
            }
            ActionSpec spec = ACTIONS.get(action.asText());
            if (spec == null) {
                findings.add(finding(document, step, "unknown action '" + action.asText() + "'; allowed: "
                        + new TreeSet<>(ACTIONS.keySet())));
                continue;
            }
            checkInputs(document, step, spec, findings);
        }
        return findings;
    }

    private void checkInputs(final AwstoeDocument document, final AwstoeDocument.Step step,
            final ActionSpec spec, final List<Finding> findings) {
        JsonNode inputs = step.inputs();
        String action = step.action();
        if (inputs == null || inputs.isNull()) {
            if (spec.inputsRequired()) {
                findings.add(finding(document, step, action + " needs 'inputs'"));
            }
            return;
        }
        switch (spec.shape()) {
            case MAP -> {
                if (!inputs.isObject()) {
                    findings.add(finding(document, step, action + " takes its inputs as a mapping"));
                    return;
                }
                checkKeys(document, step, spec, inputs, action + " inputs", findings);
            }
            case LIST_OF_MAPS -> {
                if (!inputs.isArray() || inputs.isEmpty()) {
                    findings.add(finding(document, step, action + " takes its inputs as a non-empty list of mappings"
                            + (spec.required().isEmpty() ? "" : " with " + new TreeSet<>(spec.required()))));
                    return;
                }
                for (int i = 0; i < inputs.size(); i++) {
                    JsonNode item = inputs.get(i);
                    String where = action + " input #" + (i + 1);
                    if (!item.isObject()) {
                        findings.add(finding(document, step, where + " must be a mapping"));
                    } else {
                        checkKeys(document, step, spec, item, where, findings);
                    }
                }
            }
            case ANY -> {
            }
        }
        if ("ExecuteBash".equals(action) && inputs.isObject() && inputs.has("commands")) {
            JsonNode commands = inputs.get("commands");
            boolean strings = commands.isArray() && !commands.isEmpty();
            for (JsonNode command : commands) {
                strings &= command.isTextual();
            }
            if (!strings) {
                findings.add(finding(document, step, "ExecuteBash 'commands' must be a non-empty list of strings"));
            }
        }
    }

    private void checkKeys(final AwstoeDocument document, final AwstoeDocument.Step step,
            final ActionSpec spec, final JsonNode inputs, final String where, final List<Finding> findings) {
        for (String key : new TreeSet<>(spec.required())) {
            JsonNode value = inputs.get(key);
            if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
                findings.add(finding(document, step, where + ": the required key '" + key + "' is missing"));
            }
        }
        if (spec.optional() != null) {
            inputs.fieldNames().forEachRemaining(key -> {
                if (!spec.required().contains(key) && !spec.optional().contains(key)) {
                    Set<String> allowed = new TreeSet<>(spec.required());
                    allowed.addAll(spec.optional());
                    findings.add(finding(document, step, where + ": unknown key '" + key + "'; allowed: "
                            + allowed));
                }
            });
        }
    }
}
