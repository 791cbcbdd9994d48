package io.peftflow.trainer.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.events.contract.FileId;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A job's result file as OpenAI's fine-tuning writes it: a CSV of the metrics per step ({@code step, train_loss,
 * train_accuracy, valid_loss, valid_mean_token_accuracy}), made from the job's log, the progress of each heartbeat
 * and each evaluation. A step logged twice (a resumed attempt) keeps its last values.
 */
public final class ResultFile {
    public static final String FILENAME = "step_metrics.csv";
    private static final String HEADER = "step,train_loss,train_accuracy,valid_loss,valid_mean_token_accuracy\n";
    private static final String PROGRESS = "training.progress";
    private static final String EVALUATION = "training.evaluation";

    private ResultFile() {
    }

    /** A succeeded job's result file. */
    public record Content(FineTuningJob job, byte[] csv) {
    }

    public static String id(String jobId) {
        return new FileId.JobResult(jobId).value();
    }

    /** The log types the file is made of. */
    public static List<String> types() {
        return List.of(PROGRESS, EVALUATION);
    }

    /**
     * The metrics of a progress or evaluation line under OpenAI's names ({@code step}, {@code total_steps},
     * {@code train_loss}, {@code valid_loss}, {@code valid_mean_token_accuracy}); null for any other line.
     */
    public static JsonNode metrics(JobEventRow e) {
        if (e.data == null || !(PROGRESS.equals(e.type) || EVALUATION.equals(e.type))) {
            return null;
        }
        JsonNode d = JsonText.tree(e.data);
        ObjectNode m = JsonNodeFactory.instance.objectNode().put("step", d.path("step").asInt());
        if (PROGRESS.equals(e.type)) {
            m.put("total_steps", d.path("totalSteps").asInt()).put("train_loss", d.path("trainLoss").asDouble());
        } else {
            m.put("valid_loss", d.path("eval_loss").asDouble())
                    .put("valid_mean_token_accuracy", d.path("token_accuracy").asDouble());
        }
        return m;
    }

    /** The CSV of a job's log lines of {@link #types()}, oldest first. */
    public static byte[] csv(List<JobEventRow> lines) {
        Map<Integer, String[]> rows = new TreeMap<>();
        for (JobEventRow line : lines) {
            JsonNode m = metrics(line);
            if (m == null) {
                continue;
            }
            String[] row = rows.computeIfAbsent(m.get("step").asInt(), step -> new String[] {"", "", ""});
            if (m.has("train_loss")) {
                row[0] = number(m.get("train_loss"));
            } else {
                row[1] = number(m.get("valid_loss"));
                row[2] = number(m.get("valid_mean_token_accuracy"));
            }
        }
        StringBuilder out = new StringBuilder(HEADER);
        rows.forEach((step, row) -> out.append(step).append(',').append(row[0]).append(",,").append(row[1]).append(',')
                .append(row[2]).append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String number(JsonNode v) {
        return String.format(Locale.ROOT, "%.6f", v.asDouble());
    }
}
