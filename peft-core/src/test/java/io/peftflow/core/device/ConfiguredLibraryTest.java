package io.peftflow.core.device;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.core.PeftCoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A JNI library named by a property: none, a missing file, a file that is no library. */
class ConfiguredLibraryTest {
    private static final String PROPERTY = "peftflow.test.configured-library";
    private static final String ENVIRONMENT = "PEFTFLOW_TEST_CONFIGURED_LIBRARY_UNSET";

    @Test
    void noneConfiguredIsNoLibrary() {
        System.clearProperty(PROPERTY);
        assertNull(ConfiguredLibrary.load(PROPERTY, ENVIRONMENT).path());
    }

    @Test
    void aMissingOrBrokenLibraryFailsWhereItIsNeededNamingTheFile(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("libmissing.so");
        Path notALibrary = Files.writeString(dir.resolve("libtext.so"), "not an ELF file");
        try {
            System.setProperty(PROPERTY, missing.toString());
            ConfiguredLibrary m = ConfiguredLibrary.load(PROPERTY, ENVIRONMENT);
            PeftCoreException e = assertThrows(PeftCoreException.class, m::path);
            assertTrue(e.getMessage().contains(missing.toString()) && e.getMessage().contains("not a file"),
                    e.getMessage());
            System.setProperty(PROPERTY, notALibrary.toString());
            ConfiguredLibrary b = ConfiguredLibrary.load(PROPERTY, ENVIRONMENT);
            e = assertThrows(PeftCoreException.class, b::path);
            assertTrue(e.getMessage().contains(notALibrary.toString()) && e.getMessage().contains("does not load"),
                    e.getMessage());
        } finally {
            System.clearProperty(PROPERTY);
        }
    }
}
