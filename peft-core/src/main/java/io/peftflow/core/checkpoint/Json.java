package io.peftflow.core.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.core.PeftCoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** JSON file reading with peft-core errors that name the file. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    public static JsonNode read(Path file) {
        try {
            JsonNode n = MAPPER.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new PeftCoreException("expected a JSON object", file, null);
            }
            return n;
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new PeftCoreException("file not found", file, null, e);
        } catch (IOException e) {
            throw new PeftCoreException("corrupt JSON: " + e.getMessage(), file, null, e);
        }
    }

    /** Reads the file if it exists, else null. */
    public static JsonNode readOptional(Path file) {
        return Files.isRegularFile(file) ? read(file) : null;
    }
}
