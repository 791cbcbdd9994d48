package io.peftflow.dataset.batch;

import io.peftflow.events.batch.BatchInputs;
import io.peftflow.events.batch.BatchRequestLine;
import io.peftflow.events.contract.InvalidValue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a batch input file line by line ({@link BatchInputs.Lines}: the lines inference-service runs) before anything
 * is stored: each line a {@link BatchRequestLine}, UTF-8, within the line and line-count limits, every
 * {@code custom_id} unique (outputs are matched to inputs by it).
 */
public final class BatchFileValidator {
    /** A bad line: 1-based, the field at fault ({@code line} for the line as a whole) and why. */
    public record LineProblem(long line, String field, String reason) {
    }

    /** What a file holds: its line count, or the first {@code maxReported} problems. */
    public record Checked(long lines, List<LineProblem> problems) {
    }

    private final long maxLines;
    private final int maxLineBytes;
    private final int maxReported;

    public BatchFileValidator(long maxLines, int maxLineBytes, int maxReported) {
        this.maxLines = maxLines;
        this.maxLineBytes = maxLineBytes;
        this.maxReported = maxReported;
    }

    public Checked check(Path file) throws IOException {
        List<LineProblem> problems = new ArrayList<>();
        Map<String, Long> customIds = new HashMap<>();
        long lines = 0;
        try (BatchInputs.Lines in = new BatchInputs.Lines(Files.newInputStream(file), maxLineBytes)) {
            for (byte[] line = in.next(); line != null; line = in.next()) {
                lines++;
                if (lines > maxLines) {
                    problems.add(new LineProblem(lines, "line", "the file has more than " + maxLines + " lines"));
                    break;
                }
                LineProblem problem = in.tooLong() ? new LineProblem(lines, "line", "longer than " + maxLineBytes
                        + " bytes") : checkLine(lines, line, customIds);
                if (problem != null && problems.size() < maxReported) {
                    problems.add(problem);
                }
            }
        }
        if (lines == 0) {
            problems.add(new LineProblem(1, "line", "the file has no lines"));
        }
        return new Checked(lines, problems);
    }

    private static LineProblem checkLine(long number, byte[] bytes, Map<String, Long> customIds) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new LineProblem(number, "line", "not UTF-8");
        }
        try {
            BatchRequestLine request = BatchRequestLine.parse(text);
            Long first = customIds.putIfAbsent(request.customId(), number);
            return first == null ? null : new LineProblem(number, "custom_id", "'" + request.customId()
                    + "' is used by line " + first + " already");
        } catch (InvalidValue e) {
            return new LineProblem(number, e.field(), e.getMessage());
        }
    }
}
