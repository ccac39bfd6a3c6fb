package com.fractal.gpuhost.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The unpack command is read from the documents, and a document that no longer states it stops synthesis. */
class UnpackCommandTest {
    private static final Path COMPONENTS = Path.of("components");

    @Test
    void theDocumentsCommandWithTheCallersPaths() {
        assertEquals("python3 -m zipfile -e /opt/fractal/host-scripts.zip /opt/fractal/host-scripts",
                UnpackCommand.of(COMPONENTS, "/opt/fractal/host-scripts.zip", "/opt/fractal/host-scripts"));
    }

    @Test
    void aDocumentWithoutTheStepIsAnErrorNamingIt(@TempDir final Path dir) throws IOException {
        String document = Files.readString(COMPONENTS.resolve(UnpackCommand.DOCUMENT));
        Files.writeString(dir.resolve(UnpackCommand.DOCUMENT), document.replace("name: UnpackHostScripts",
                "name: ExtractHostScripts"));
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> UnpackCommand.of(dir, "/z.zip", "/d"));
        assertTrue(error.getMessage().contains("has no step UnpackHostScripts with a command that unpacks "
                + "{{ HostScriptsZip }} into {{ HostScriptsDir }}"), error.getMessage());
    }

    @Test
    void anUnpackCommandThatNeedsAnotherValueIsAnError(@TempDir final Path dir) throws IOException {
        String document = Files.readString(COMPONENTS.resolve(UnpackCommand.DOCUMENT));
        String command = "python3 -m zipfile -e {{ HostScriptsZip }} {{ HostScriptsDir }}";
        assertTrue(document.contains(command));
        Files.writeString(dir.resolve(UnpackCommand.DOCUMENT), document.replace(command,
                "python3 -m zipfile -e {{ HostScriptsZip }} {{ HostScriptsDir }}/{{ ImageVariant }}"));
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> UnpackCommand.of(dir, "/z.zip", "/d"));
        assertTrue(error.getMessage().endsWith("not {{ ImageVariant }}"), error.getMessage());
    }
}
