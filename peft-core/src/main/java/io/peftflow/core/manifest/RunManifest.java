package io.peftflow.core.manifest;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.evaluation.EvalMetrics;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.core.training.TrainResult;
import io.peftflow.core.tuners.AdapterFiles;
import io.peftflow.core.training.TrainingConfig;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.data.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The record of one training run, as JSON: content hashes (SHA-256) of the dataset files, the base weights and the
 * adapter, the seed, library versions, the method config, the training config and encoding settings, and the
 * base-vs-tuned metrics: what is needed to replay the run and to check that a replay used the same inputs.
 */
public final class RunManifest {
    public static final String FORMAT = "peftflow.run-manifest.v1";

    private final ObjectNode root = Json.MAPPER.createObjectNode();

    public RunManifest(long seed) {
        root.put("format", FORMAT).put("created", Instant.now().toString()).put("seed", seed);
        root.set("versions", versions());
    }

    /** peftflow, DJL, PyTorch (the engine's native library) and Java versions. */
    public static ObjectNode versions() {
        return Json.MAPPER.createObjectNode().put("peftflow", peftflowVersion()).put("djl", Engine.getDjlVersion())
                .put("pytorch", Engine.getInstance().getVersion()).put("java", Runtime.version().toString());
    }

    /**
     * The base checkpoint: its id (lineage), local path, config hash and one hash over all its weight files (name and
     * content).
     */
    public RunManifest baseModel(Path dir, String id, String device, String dtype) {
        ObjectNode b = root.putObject("base_model").put("id", id).put("path", dir.toString()).put("device", device)
                .put("dtype", dtype);
        b.put("config_sha256", sha256(dir.resolve("config.json")));
        b.put("weights_sha256", sha256Files(dir, ".safetensors"));
        return this;
    }

    /** A dataset file, how it was encoded, and what encoding did (truncated / skipped counts). */
    public RunManifest dataset(String role, Path file, SequenceEncoder encoder, EncodedDataset encoded) {
        ObjectNode d = section("datasets").putObject(role).put("path", file.toString()).put("sha256", sha256(file))
                .put("examples", encoded.examples()).put("sequences", encoded.size()).put("tokens", encoded.tokens())
                .put("truncated", encoded.truncated()).put("skipped", encoded.skipped())
                .put("max_length", encoder.maxLength()).put("over_long", encoder.overLong().name())
                .put("train_on_prompt", encoder.trainOnPrompt());
        d.put("template", encoder.template() == null ? "format default" : encoder.template().name());
        return this;
    }

    /** The method's {@code adapter_config.json} content and, once saved, the adapter file's hash. */
    public RunManifest adapter(String name, JsonNode config, long trainableParameters, Path savedDir) {
        ObjectNode a = root.putObject("adapter").put("name", name).put("trainable_parameters", trainableParameters);
        a.set("config", config);
        if (savedDir != null) {
            a.put("path", savedDir.toString());
            a.put("sha256", sha256Files(savedDir, ".safetensors"));
        }
        return this;
    }

    /**
     * The frozen adapters the run trained on, bottom first: each directory with its {@code peft_type} and weights'
     * hash; the base metrics were measured through them. Nothing for a run without one.
     */
    public RunManifest stackOn(List<Path> adapterDirs) {
        if (adapterDirs.isEmpty()) {
            return this;
        }
        var stack = root.putArray("stack_on");
        for (Path dir : adapterDirs) {
            stack.addObject().put("path", dir.toString())
                    .put("peft_type", Json.read(dir.resolve(AdapterFiles.CONFIG)).path("peft_type").asText())
                    .put("sha256", sha256Files(dir, ".safetensors"));
        }
        return this;
    }

    public RunManifest training(TrainingConfig config, TrainResult result) {
        root.set("training", config.toJson());
        root.putObject("result").put("status", result.status().name()).put("steps", result.steps())
                .put("first_loss", result.firstLoss()).put("last_loss", result.lastLoss(10))
                .put("tokens", result.tokens()).put("seconds", result.seconds())
                .put("tokens_per_second", result.tokensPerSecond())
                .put("skipped_steps", result.skippedSteps()).put("best_step", result.bestStep())
                .put("weights_step", result.weightsStep());
        return this;
    }

    /** Metrics of one model ({@code base} or {@code tuned}) on the validation split. */
    public RunManifest metrics(String which, EvalMetrics metrics) {
        ObjectNode m = section("metrics").putObject(which).put("eval_loss", metrics.evalLoss())
                .put("perplexity", metrics.perplexity()).put("token_accuracy", metrics.tokenAccuracy());
        if (metrics.exactMatch() != null) {
            putExact(m, metrics.exactMatch());
        }
        if (metrics.labelAccuracy() != null) {
            m.put("label_accuracy", metrics.labelAccuracy());
        }
        return this;
    }

    /** What serving needs: the prompt template and the trained labels ({@link LabelSet#fromManifest} reads it). */
    public RunManifest serving(LabelSet labels) {
        root.set("serving", labels.toJson());
        return this;
    }

    /** The majority-class baseline on the validation split ({@link ExactMatch#majority}), beside base and tuned. */
    public RunManifest majorityBaseline(ExactMatch.Majority majority) {
        putExact(section("metrics").putObject("majority_class").put("answer", majority.answer()),
                majority.exactMatch());
        return this;
    }

    private static void putExact(ObjectNode m, ExactMatch exact) {
        m.put("exact_match", exact.accuracy()).put("exact_match_macro", exact.macroAccuracy())
                .put("examples", exact.total()).put("answers", exact.perLabel().size());
    }

    private ObjectNode section(String name) {
        return root.has(name) ? (ObjectNode) root.get(name) : root.putObject(name);
    }

    public ObjectNode toJson() {
        return root;
    }

    public void write(Path file) {
        try {
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new PeftCoreException("cannot write manifest: " + e.getMessage(), file, null, e);
        }
    }

    /** One SHA-256 over "name sha256\n" of every file in {@code dir} ending with {@code suffix}, by name. */
    public static String sha256Files(Path dir, String suffix) {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new PeftCoreException("cannot list: " + e.getMessage(), dir, null, e);
        }
        if (files.isEmpty()) {
            throw new PeftCoreException("no " + suffix + " files to hash", dir, null);
        }
        StringBuilder listing = new StringBuilder();
        for (Path f : files) {
            listing.append(f.getFileName()).append(' ').append(sha256(f)).append('\n');
        }
        return Sha256.hex(listing.toString());
    }

    private static String sha256(Path file) {
        try {
            return Sha256.hex(file);
        } catch (IOException e) {
            throw new PeftCoreException("cannot hash: " + e.getMessage(), file, null, e);
        }
    }

    private static String peftflowVersion() {
        try (InputStream in = RunManifest.class.getResourceAsStream(
                "/META-INF/maven/io.peftflow/peft-core/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "development build";
    }
}
