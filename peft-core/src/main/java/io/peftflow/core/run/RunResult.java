package io.peftflow.core.run;

import io.peftflow.core.evaluation.EvalMetrics;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.training.TrainResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a {@link TrainingRun} ended.
 *
 * @param status COMPLETED, EARLY_STOPPED or CANCELLED
 * @param steps optimizer updates done, counting those before a resume
 * @param tokensPerSecond real tokens of applied updates per second of this run's training
 * @param base the base model's metrics on the validation split
 * @param tuned the trained adapter's, on the same split; null when CANCELLED
 * @param majorityBaseline always answering the validation split's most frequent answer (the best constant
 *     answer): that answer and its exact match and macro exact match (1/k)
 * @param trainableParameters the adapter's trainable parameter count
 * @param adapterDir the PEFT-format adapter directory; null when CANCELLED (nothing final to register)
 * @param adapterFiles its files with size and SHA-256; empty when CANCELLED
 * @param checkpointDir the last checkpoint (what a resume continues from)
 * @param manifest the run manifest ({@code manifest.json}: hashes, config, versions, metrics)
 * @param versions peftflow, DJL, PyTorch and Java versions
 * @param training the trainer's own record (loss curve, evaluations, best step, skipped fp16 steps)
 */
public record RunResult(TrainResult.Status status, int steps, double tokensPerSecond, EvalMetrics base,
                        EvalMetrics tuned, ExactMatch.Majority majorityBaseline, long trainableParameters, Path adapterDir,
                        List<OutputFile> adapterFiles, Path checkpointDir, Path manifest, Map<String, String> versions,
                        TrainResult training) {
    public RunResult {
        adapterFiles = List.copyOf(adapterFiles);
        versions = Map.copyOf(versions);
    }

    /** A file the run wrote, as a registry stores it. */
    public record OutputFile(String name, Path path, long bytes, String sha256) {
    }
}
