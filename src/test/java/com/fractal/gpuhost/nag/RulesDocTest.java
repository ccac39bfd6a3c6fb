package com.fractal.gpuhost.nag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** docs/audit.md states the rules and accepted risks as the code declares them. */
class RulesDocTest {
    @Test
    void theDocumentIsUpToDateWithTheRegistry() throws IOException {
        String document = Files.readString(RulesDoc.FILE, StandardCharsets.UTF_8);
        assertEquals(RulesDoc.update(document), document, "docs/audit.md is out of date: run bash "
                + "scripts/app-launcher.sh --main com.fractal.gpuhost.nag.RulesDoc");
        for (AcceptedRisk risk : AcceptedRisk.values()) {
            assertTrue(document.contains("| `" + risk.name() + "` |"), risk.name());
        }
    }

    @Test
    void aDocumentWithoutItsMarkersIsRefused() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> RulesDoc.update("# Audit\n"));
        assertTrue(refused.getMessage().startsWith("docs/audit.md has no generated block"), refused.getMessage());
    }
}
