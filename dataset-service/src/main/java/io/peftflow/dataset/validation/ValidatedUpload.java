package io.peftflow.dataset.validation;

import io.peftflow.data.ExampleFormat;
import io.peftflow.events.dataset.VersionCounts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The outcome of a validation run that was not rejected: the two split files (and the line-error spill) in
 * the run's work directory, their hashes, and the report summary. Closing deletes the work directory.
 *
 * @param summary    the report without its error list: counts, labels, lengths, warnings (JSON-ready)
 * @param errors     every rejected line's JSON objects, comma-separated, for the stored report
 * @param firstErrors the first rejected lines, for the response
 */
public record ValidatedUpload(ExampleFormat format, Path train, String trainSha256, Path validation,
                              String validationSha256, Path errors, List<LineError> firstErrors,
                              VersionCounts counts, Map<String, LabelSplit> labels,
                              Map<String, Double> classWeights, String lengthUnit, Map<String, Double> lengths,
                              Map<String, Object> summary, Path workDir) implements AutoCloseable {

    @Override
    public void close() {
        deleteTree(workDir);
    }

    /** Deletes a run's work directory; a run's files are flat, so one level. */
    public static void deleteTree(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete work directory " + dir, e);
        }
    }
}
