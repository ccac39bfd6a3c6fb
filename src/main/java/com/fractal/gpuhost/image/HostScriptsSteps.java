package com.fractal.gpuhost.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fractal.gpuhost.hostscripts.HostScriptsAsset;
import java.util.List;

/**
 * How a component gets the host scripts, written once for every document instead of in each: a document
 * that declares the {@value #PARAMETER} parameter gets the constant {@value #FOLDER_CONSTANT} and, before the
 * steps of each of its phases, a fresh root-only work folder, the asset downloaded with AWSTOE's S3Download
 * and unpacked into {@value #FOLDER}. Its own steps then only run entry scripts from that folder, and its
 * last step (remove_host_scripts.sh) deletes them again, since no source may remain in the image.
 */
final class HostScriptsSteps {
    static final String PARAMETER = "HostScriptsS3Uri";
    static final String FOLDER_CONSTANT = "HostScriptsDir";
    /** No parent carries a name verify_no_source_left.sh looks for, so a check need only exclude the folder. */
    static final String WORK_FOLDER = "/var/tmp/host-setup";
    static final String FOLDER = WORK_FOLDER + "/host-scripts";
    private static final String ZIP = FOLDER + ".zip";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HostScriptsSteps() {
    }

    /** Adds the constant and the fetch steps to a parsed document (changed in place). */
    static void addTo(final ObjectNode document) {
        if (!document.has("constants")) {
            // Before the phases, where a reader looks for it.
            JsonNode phases = document.remove("phases");
            document.putArray("constants");
            document.set("phases", phases);
        }
        ((ArrayNode) document.get("constants")).addObject().putObject(FOLDER_CONSTANT)
                .put("type", "string").put("value", FOLDER);
        for (JsonNode phase : document.path("phases")) {
            ArrayNode steps = (ArrayNode) phase.get("steps");
            steps.insert(0, bash("UnpackHostScripts", 120, HostScriptsAsset.unpackCommand(ZIP, FOLDER),
                    "rm -f " + ZIP));
            ObjectNode download = step("DownloadHostScripts", "S3Download", 300).put("maxAttempts", 3);
            download.putArray("inputs").addObject()
                    .put("source", "{{ " + PARAMETER + " }}")
                    .put("destination", ZIP);
            steps.insert(0, download);
            // A fresh folder on every run: a re-run never mixes in files of an earlier one.
            steps.insert(0, bash("PrepareHostScriptsFolder", 60, "rm -rf " + WORK_FOLDER,
                    "install -d -m 0700 " + WORK_FOLDER));
        }
    }

    private static ObjectNode bash(final String name, final int timeoutSeconds, final String... commands) {
        ObjectNode step = step(name, "ExecuteBash", timeoutSeconds);
        ArrayNode list = step.putObject("inputs").putArray("commands").add("set -euo pipefail");
        List.of(commands).forEach(list::add);
        return step;
    }

    private static ObjectNode step(final String name, final String action, final int timeoutSeconds) {
        return NODES.objectNode().put("name", name).put("action", action)
                .put("timeoutSeconds", timeoutSeconds).put("onFailure", "Abort");
    }
}
