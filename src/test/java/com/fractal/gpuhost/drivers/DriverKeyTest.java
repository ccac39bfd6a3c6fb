package com.fractal.gpuhost.drivers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DriverKeyTest {
    static DriverKey key(final String key) {
        return DriverKey.parse(key).orElseThrow();
    }

    @Test
    void theBranchIsTheDriverMajorAndItsGridFolder() {
        DriverKey r580 = key("grid-19.0/NVIDIA-Linux-x86_64-580.65.06-grid-aws.run");
        assertEquals("R580 (grid-19)", r580.branch());
        assertEquals(List.of(580, 65, 6), r580.version());
        assertEquals("580.65.06", r580.versionText());
        assertEquals("R535 (grid-16)", key("grid-16.6/NVIDIA-Linux-x86_64-535.183.01-grid-aws.run").branch());
    }

    @Test
    void latestAndOtherFilesAreNoBranch() {
        assertTrue(DriverKey.parse("latest/NVIDIA-Linux-x86_64-580.95.05-grid-aws.run").isEmpty());
        assertTrue(DriverKey.parse("grid-19.0/NVIDIA-Linux-x86_64-580.65.06-grid-aws.run.sha256").isEmpty());
        assertTrue(DriverKey.parse("grid-19.0/").isEmpty());
        // Older driver folders nested under a family prefix are no branch of today's bucket root either.
        assertTrue(DriverKey.parse("g4/grid-12.0/NVIDIA-Linux-x86_64-460.32.03-grid-aws.run").isEmpty());
    }

    @Test
    void versionsCompareAsNumbersNotText() {
        DriverKey older = key("grid-19.1/NVIDIA-Linux-x86_64-580.82.07-grid-aws.run");
        DriverKey newer = key("grid-19.3/NVIDIA-Linux-x86_64-580.105.08-grid-aws.run");
        assertTrue(newer.compareTo(older) > 0, "580.105 is newer than 580.82");
        assertTrue(older.sameBranch(newer));
        assertFalse(older.sameBranch(key("grid-20.0/NVIDIA-Linux-x86_64-595.45.04-grid-aws.run")));
    }
}
