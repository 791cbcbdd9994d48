package io.peftflow.core.device;

import io.peftflow.core.PeftCoreException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One of the project's JNI libraries, named by a system property or else an environment variable, loaded once: its
 * absolute path, or null where neither is set; a library that is named but missing or does not load is kept as the
 * reason, which {@link #path()} throws (the caller fails where it first needs the library, naming the file).
 */
public final class ConfiguredLibrary {
    private final String path;
    private final String failure;

    private ConfiguredLibrary(String path, String failure) {
        this.path = path;
        this.failure = failure;
    }

    public static ConfiguredLibrary load(String property, String environment) {
        String configured = System.getProperty(property, System.getenv(environment));
        if (configured == null || configured.isBlank()) {
            return new ConfiguredLibrary(null, null);
        }
        Path file = Path.of(configured).toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            return new ConfiguredLibrary(null, property + "/" + environment + " names " + file + ", which is not a file");
        }
        try {
            System.load(file.toString());
        } catch (UnsatisfiedLinkError e) {
            return new ConfiguredLibrary(null, property + "/" + environment + " names " + file
                    + ", which does not load: " + e.getMessage());
        }
        return new ConfiguredLibrary(file.toString(), null);
    }

    /** The loaded library's path, or null where none is configured; throws where the configured one failed. */
    public String path() {
        if (failure != null) {
            throw new PeftCoreException(failure);
        }
        return path;
    }
}
