package io.peftflow.core.data;

import io.peftflow.core.PeftCoreException;
import io.peftflow.data.Example;
import io.peftflow.data.JsonlReader;
import io.peftflow.data.ParsedLine;
import io.peftflow.data.ParserLimits;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a JSONL dataset with peft-data's parser; training refuses files with invalid lines. */
public final class Examples {
    private Examples() {
    }

    /** All examples of {@code file}; an invalid line is an error naming its line number. */
    public static List<Example> read(Path file) {
        List<Example> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
             JsonlReader reader = new JsonlReader(in, ParserLimits.DEFAULT)) {
            for (ParsedLine line; (line = reader.next()) != null; ) {
                if (line instanceof ParsedLine.Invalid bad) {
                    throw new PeftCoreException("line " + bad.line() + ": " + bad.reason(), file, null);
                }
                out.add(((ParsedLine.Valid) line).example());
            }
        } catch (IOException e) {
            throw new PeftCoreException("cannot read dataset: " + e.getMessage(), file, null, e);
        }
        return out;
    }
}
