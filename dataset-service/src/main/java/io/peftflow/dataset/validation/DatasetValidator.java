package io.peftflow.dataset.validation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.data.Example;
import io.peftflow.data.ExampleFormat;
import io.peftflow.data.ExampleParser;
import io.peftflow.data.JsonlReader;
import io.peftflow.data.ParsedLine;
import io.peftflow.data.PromptTemplate;
import io.peftflow.data.Sha256;
import io.peftflow.data.Turn;
import io.peftflow.dataset.balancing.BalancePlan;
import io.peftflow.dataset.balancing.BalanceStrategy;
import io.peftflow.events.dataset.VersionCounts;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates, de-duplicates, splits and balances one upload in two sequential passes with bounded memory.
 * <ol>
 *   <li>Every line is parsed ({@link JsonlReader}); bad lines go to an error spill file. A valid line identical
 *   to an earlier one is dropped as a duplicate; a repeated near-duplicate key is reported but kept. The example's split is a seeded function of its near-duplicate hash, so the same (or a nearly
 *   identical) example is in the same split in every version of the dataset and never in both. Validation
 *   lines are written verbatim to {@code validation.jsonl}; train lines to a spill with their label id.</li>
 *   <li>The train spill is copied to {@code train.jsonl}, each line as many times as the seeded
 *   {@link BalancePlan} says.</li>
 * </ol>
 * Memory: the reader's line buffer (at most the line limit), a {@link DuplicateIndex} of 21-43 bytes per
 * distinct example (at most 128 MB for 3 million examples, about 1 GB of chat data), and per-label counters. Not thread-safe; one
 * instance per run.
 */
public final class DatasetValidator {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int IO_BUFFER = 1 << 18;

    private final ValidationLimits limits;
    private final ValidationOptions options;
    private final ExampleParser parser;

    private final DuplicateIndex seen = new DuplicateIndex();
    private final Map<String, Integer> labelIds = new HashMap<>();
    private final List<String> labelNames = new ArrayList<>();
    private final LengthStats lengths = new LengthStats();
    private final List<LineError> firstErrors = new ArrayList<>();
    private final List<Long> duplicateLines = new ArrayList<>();
    private final List<Long> nearDuplicateLines = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private long[] trainCounts = new long[8];
    private long[] validationCounts = new long[8];
    private long invalid;
    private long duplicates;
    private long nearDuplicates;
    private long train;
    private long validation;
    private long inferredLabels;
    private long trailingTurns;
    private long unlabelled;
    private boolean labelOverflow;

    public DatasetValidator(ValidationLimits limits, ValidationOptions options, ExampleParser parser) {
        this.limits = limits;
        this.options = options;
        this.parser = parser;
    }

    /**
     * Runs both passes over the decompressed upload, writing into a fresh directory under {@code tmpRoot}.
     * On rejection (or any failure) nothing is left on disk.
     */
    public ValidatedUpload run(InputStream jsonl, Path tmpRoot) throws IOException, ValidationRejected {
        Path dir = Files.createTempDirectory(tmpRoot, "upload-");
        try {
            return run(jsonl, dir, dir.resolve("train.jsonl"), dir.resolve("validation.jsonl"));
        } catch (IOException | ValidationRejected | RuntimeException e) {
            ValidatedUpload.deleteTree(dir);
            throw e;
        }
    }

    private ValidatedUpload run(InputStream jsonl, Path dir, Path trainFile, Path validationFile)
            throws IOException, ValidationRejected {
        Path spill = dir.resolve("train.spill");
        Path errors = dir.resolve("errors.json");
        MessageDigest validationDigest = Sha256.newDigest();
        ExampleFormat format;
        long lines;
        try (JsonlReader reader = new JsonlReader(jsonl, limits.parser(), parser);
             TrainSpill trainSpill = new TrainSpill(spill, IO_BUFFER);
             OutputStream validationOut = new BufferedOutputStream(
                     new DigestOutputStream(Files.newOutputStream(validationFile), validationDigest), IO_BUFFER);
             OutputStream errorsOut = new BufferedOutputStream(Files.newOutputStream(errors), IO_BUFFER)) {
            for (ParsedLine line; (line = reader.next()) != null; ) {
                LineError error = line instanceof ParsedLine.Valid ok
                        ? accept(ok, reader, trainSpill, validationOut)
                        : new LineError(line.line(), ((ParsedLine.Invalid) line).reason());
                if (error != null) {
                    reject(error, errorsOut);
                }
            }
            format = reader.format();
            lines = reader.lines();
        }
        long kept = train + validation;
        if (invalid > 0 && !options.dropInvalid()) {
            throw new ValidationRejected(invalid + " of " + lines + " lines are invalid (on_invalid=reject)", firstErrors);
        }
        if (kept < limits.minExamples()) {
            String what = lines == 0 ? "the file is empty" : "only " + kept + " valid examples in " + lines + " lines";
            throw new ValidationRejected(what + "; at least " + limits.minExamples() + " are needed", firstErrors);
        }
        boolean labelled = isLabelled();
        if (options.balance().resamples() && !labelled) {
            throw new ValidationRejected("balance=" + options.balance().wireName() + " needs a label on every example: "
                    + "a 'label' field, or responses from a set of at most " + limits.labelSetMax() + " short values", List.of());
        }
        int k = labelNames.size();
        long[] trainBefore = Arrays.copyOf(trainCounts, k);
        long[] validationByLabel = Arrays.copyOf(validationCounts, k);
        BalancePlan plan = BalancePlan.of(labelled ? options.balance() : BalanceStrategy.NONE, trainBefore,
                options.seed(), limits.maxOversampleFactor());
        MessageDigest trainDigest = Sha256.newDigest();
        long trainAfter = balance(spill, trainFile, trainDigest, plan, labelled);
        Files.delete(spill);

        if (kept < limits.warnExamples()) {
            warnings.add("only " + kept + " examples; at least " + limits.warnExamples() + " are recommended");
        }
        if (trailingTurns > 0) {
            warnings.add(trailingTurns + " chat examples end on a user or system turn; nothing after their last"
                    + " assistant turn is trained (on_trailing_turn=reject refuses them)");
        }
        if (validation == 0) {
            warnings.add("the validation split is empty; raise validation_fraction or add examples");
        }
        VersionCounts counts = new VersionCounts(lines, kept + duplicates, invalid, duplicates, nearDuplicates,
                trainAfter, validation);
        Map<String, LabelSplit> labels = new LinkedHashMap<>();
        Map<String, Double> classWeights = new LinkedHashMap<>();
        Map<String, Object> imbalance = new LinkedHashMap<>();
        if (labelled) {
            long[] after = plan.targets();
            double[] weights = BalancePlan.classWeights(trainBefore);
            for (int i = 0; i < k; i++) {
                labels.put(labelNames.get(i), new LabelSplit(trainBefore[i], after[i], validationByLabel[i]));
                if (options.balance() == BalanceStrategy.CLASS_WEIGHTS && trainBefore[i] > 0) {
                    classWeights.put(labelNames.get(i), Math.round(weights[i] * 1e6) / 1e6);
                }
            }
            imbalance.putAll(imbalance(trainBefore));
            warnUnsplitLabels(trainBefore, validationByLabel);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("format", format.wireName());
        summary.put("counts", counts);
        summary.put("trailingTurnExamples", trailingTurns);
        summary.put("labelSource", !labelled ? "none" : inferredLabels > 0 ? "response" : "label");
        summary.put("labels", labels);
        summary.put("imbalance", imbalance);
        summary.put("balance", options.balance().wireName());
        summary.put("classWeights", classWeights);
        summary.put("lengthUnit", options.lengths().unit());
        summary.put("lengthTemplate", PromptTemplate.defaultFor(format).name());
        summary.put("lengthMeasure", options.lengths().measured());
        summary.put("maxLength", options.maxLength());
        summary.put("lengths", lengths.summary());
        summary.put("duplicateLines", duplicateLines);
        summary.put("nearDuplicateLines", nearDuplicateLines);
        summary.put("warnings", warnings);
        return new ValidatedUpload(format, trainFile, Sha256.hex(trainDigest), validationFile, Sha256.hex(validationDigest), errors,
                List.copyOf(firstErrors), counts, labels, classWeights, options.lengths().unit(), lengths.summary(),
                summary, dir);
    }

    private LineError accept(ParsedLine.Valid ok, JsonlReader reader, TrainSpill trainSpill,
                             OutputStream validationOut) throws IOException {
        Example example = ok.example();
        boolean trailing = endsOnPrompt(example);
        if (trailing && options.rejectTrailingTurns()) {
            return new LineError(ok.line(), "chat ends on a " + last(example).role() + " turn, which is never trained"
                    + " (on_trailing_turn=reject)");
        }
        int length = options.lengths().count(example);
        if (options.maxLength() != null && length > options.maxLength()) {
            return new LineError(ok.line(), "example is " + length + " " + options.lengths().unit()
                    + " long as trained (" + PromptTemplate.defaultFor(example.format()).name() + " template"
                    + (options.lengths().tokenizer().eosId().isPresent() ? ", BOS and EOS included" : "")
                    + "), over max_length " + options.maxLength());
        }
        long near = ContentHash.near(example);
        switch (seen.add(near, ContentHash.line(reader.lineBuffer(), reader.lineOffset(), reader.lineLength()))) {
            case EXACT_DUPLICATE -> {
                duplicates++;
                listLine(duplicateLines, ok.line());
                return null;
            }
            case NEAR_DUPLICATE -> {
                nearDuplicates++;
                listLine(nearDuplicateLines, ok.line());
            }
            case NEW -> {
            }
        }
        if (trailing) {
            trailingTurns++;
        }
        lengths.add(length);
        int label = labelId(example);
        if (ContentHash.unit(near, options.splitSeed()) < options.validationFraction()) {
            validation++;
            validationCounts = count(validationCounts, label);
            validationOut.write(reader.lineBuffer(), reader.lineOffset(), reader.lineLength());
            validationOut.write('\n');
        } else {
            train++;
            trainCounts = count(trainCounts, label);
            trainSpill.write(label, reader.lineBuffer(), reader.lineOffset(), reader.lineLength());
        }
        return null;
    }

    /** A chat whose last turn is the user's or the system's: the trainer renders it but learns nothing from that turn. */
    private static boolean endsOnPrompt(Example example) {
        return example.format() == ExampleFormat.CHAT && !last(example).isAssistant();
    }

    private static Turn last(Example example) {
        return example.turns().get(example.turns().size() - 1);
    }

    private void reject(LineError error, OutputStream errorsOut) throws IOException {
        if (invalid > 0) {
            errorsOut.write(',');
        }
        invalid++;
        errorsOut.write(JSON.writeValueAsBytes(error));
        if (firstErrors.size() < limits.maxResponseErrors()) {
            firstErrors.add(error);
        }
    }

    /**
     * The example's label id ({@link Example#classLabel}): its {@code label}, else its response when short; -1 when
     * it has neither.
     */
    private int labelId(Example example) {
        String label = example.classLabel();
        if (example.label() == null) {
            if (label.length() > limits.maxLabelLength()) {
                unlabelled++;
                return -1;
            }
            inferredLabels++;
        }
        Integer id = labelIds.get(label);
        if (id != null) {
            return id;
        }
        if (labelNames.size() >= limits.maxLabels()) {
            labelOverflow = true;
            return -1;
        }
        labelIds.put(label, labelNames.size());
        labelNames.add(label);
        return labelNames.size() - 1;
    }

    private boolean isLabelled() {
        return unlabelled == 0 && !labelOverflow && !labelNames.isEmpty()
                && (inferredLabels == 0 || labelNames.size() <= limits.labelSetMax());
    }

    /**
     * The split is stratified in expectation only (each example's side is a seeded function of its content, so
     * that it is the same in every version): a label of n examples gets n·f ± sqrt(n·f·(1−f)) validation examples.
     * A label large enough to expect at least two that got none is worth a warning.
     */
    private void warnUnsplitLabels(long[] train, long[] validation) {
        double f = options.validationFraction();
        for (int i = 0; i < train.length; i++) {
            long n = train[i] + validation[i];
            if (f > 0 && validation[i] == 0 && n * f >= 2) {
                warnings.add(String.format(Locale.ROOT, "label '%s' has no validation example among its %d (%.1f expected"
                        + " at validation_fraction %s; the split is by content hash, stable across versions)",
                        labelNames.get(i), n, n * f, f));
            }
        }
    }

    private Map<String, Object> imbalance(long[] counts) {
        int majority = 0;
        int minority = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > counts[majority]) {
                majority = i;
            }
            if (counts[i] < counts[minority]) {
                minority = i;
            }
        }
        double ratio = counts[minority] == 0 ? Double.POSITIVE_INFINITY : (double) counts[majority] / counts[minority];
        boolean imbalanced = ratio >= limits.imbalanceRatio();
        if (imbalanced) {
            warnings.add(String.format(Locale.ROOT, "labels are imbalanced: '%s' has %d train examples, '%s' %d (ratio %.1f >= %.1f)",
                    labelNames.get(majority), counts[majority], labelNames.get(minority), counts[minority], ratio,
                    limits.imbalanceRatio()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("majority", labelNames.get(majority));
        out.put("minority", labelNames.get(minority));
        out.put("ratio", Double.isInfinite(ratio) ? null : Math.round(ratio * 100) / 100.0);
        out.put("imbalanced", imbalanced);
        return out;
    }

    private long balance(Path spill, Path trainFile, MessageDigest digest, BalancePlan plan, boolean labelled) throws IOException {
        long written = 0;
        byte[] line = new byte[256];
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spill), IO_BUFFER));
             OutputStream out = new BufferedOutputStream(new DigestOutputStream(Files.newOutputStream(trainFile), digest), IO_BUFFER)) {
            while (true) {
                int label;
                try {
                    label = in.readInt();
                } catch (EOFException end) {
                    break;
                }
                int length = in.readInt();
                if (line.length < length) {
                    line = new byte[Math.max(length, line.length * 2)];
                }
                in.readFully(line, 0, length);
                long copies = labelled ? plan.copies(label) : 1;
                for (long c = 0; c < copies; c++) {
                    out.write(line, 0, length);
                    out.write('\n');
                }
                written += copies;
            }
        }
        return written;
    }

    private void listLine(List<Long> list, long line) {
        if (list.size() < limits.maxListedLines()) {
            list.add(line);
        }
    }

    private static long[] count(long[] counts, int label) {
        if (label < 0) {
            return counts;
        }
        long[] c = label < counts.length ? counts : Arrays.copyOf(counts, Math.max(label + 1, counts.length * 2));
        c[label]++;
        return c;
    }
}
