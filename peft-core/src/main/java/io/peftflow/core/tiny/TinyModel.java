package io.peftflow.core.tiny;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.checkpoint.Checkpoint;
import io.peftflow.core.checkpoint.Json;
import io.peftflow.core.checkpoint.WeightStore;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ModelConfig;
import io.peftflow.core.model.Models;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.safetensors.SafetensorsWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The embedded default base model: a tiny LlamaForCausalLM (4 layers, hidden 128, GQA 4/2 heads, 512
 * positions, about 0.7 M parameters, ~3 MB) with a byte-level BPE tokenizer trained on a built-in corpus of
 * English and transaction descriptions. {@link #write} generates it deterministically from a seed in HF layout,
 * so demos and tests load it through the same path as downloaded checkpoints.
 * <p>
 * The weights are random (no pre-training), scaled so every layer passes signal: projections
 * N(0, 1/fan_in), residual outputs further divided by sqrt(2 * layers), embeddings N(0, 0.3^2), norms 1.
 */
public final class TinyModel {
    public static final long DEFAULT_SEED = 42;
    public static final int HIDDEN = 128;
    public static final int LAYERS = 4;
    public static final int HEADS = 4;
    public static final int KV_HEADS = 2;
    public static final int INTERMEDIATE = 256;
    public static final int MAX_POSITIONS = 512;
    static final int TARGET_VOCAB = 1024;
    public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<s>", "</s>", "<unk>", "<|system|>",
            "<|user|>", "<|assistant|>", "<|end|>");
    /** Renders chat messages as {@code <|role|>\ncontent<|end|>\n}, then {@code <|assistant|>\n} to prompt. */
    public static final String CHAT_TEMPLATE = "{% for message in messages %}<|{{ message['role'] }}|>\n"
            + "{{ message['content'] }}<|end|>\n{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}";

    private TinyModel() {
    }

    /** Writes the default tiny model (seed {@value #DEFAULT_SEED}) into {@code dir}; returns {@code dir}. */
    public static Path write(Path dir) {
        return write(dir, DEFAULT_SEED);
    }

    /** Writes config.json, model.safetensors, tokenizer.json, tokenizer_config.json, generation_config.json. */
    public static Path write(Path dir, long seed) {
        ByteLevelBpe bpe = new ByteLevelBpe(SPECIAL_TOKENS, corpus(), TARGET_VOCAB);
        ObjectNode config = config(bpe.vocabSize());
        try {
            Files.createDirectories(dir);
            writeJson(dir.resolve(Checkpoint.CONFIG), config);
            writeJson(dir.resolve(Checkpoint.TOKENIZER), bpe.toJson("<s>"));
            writeJson(dir.resolve(Checkpoint.TOKENIZER_CONFIG), tokenizerConfig());
            ObjectNode gen = Json.MAPPER.createObjectNode().put("bos_token_id", 1).put("eos_token_id", 2)
                    .put("pad_token_id", 0);
            writeJson(dir.resolve(Checkpoint.GENERATION_CONFIG), gen);
        } catch (IOException e) {
            throw new PeftCoreException("cannot write tiny model: " + e.getMessage(), dir, null, e);
        }
        ModelConfig mc = ModelConfig.parse(config, dir.resolve(Checkpoint.CONFIG));
        try (NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu())) {
            CausalLM model = Models.create(mc, manager, DataType.FLOAT32);
            Map<String, NDArray> tensors = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
                tensors.put(e.getKey(), manager.create(init(e.getKey(), e.getValue(), seed), e.getValue().shape()));
            }
            SafetensorsWriter.write(dir.resolve(WeightStore.SINGLE_FILE), tensors);
        }
        return dir;
    }

    static ObjectNode config(int tokenizerVocab) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        // Rounded up to a multiple of 64 like most checkpoints; the spare rows are never produced by the tokenizer.
        c.put("vocab_size", (tokenizerVocab + 63) / 64 * 64);
        c.put("hidden_size", HIDDEN);
        c.put("intermediate_size", INTERMEDIATE);
        c.put("num_hidden_layers", LAYERS);
        c.put("num_attention_heads", HEADS);
        c.put("num_key_value_heads", KV_HEADS);
        c.put("max_position_embeddings", MAX_POSITIONS);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", true);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("pad_token_id", 0);
        c.put("torch_dtype", "float32");
        return c;
    }

    private static ObjectNode tokenizerConfig() {
        ObjectNode t = Json.MAPPER.createObjectNode();
        t.put("tokenizer_class", "PreTrainedTokenizerFast");
        t.put("bos_token", "<s>");
        t.put("eos_token", "</s>");
        t.put("pad_token", "<pad>");
        t.put("unk_token", "<unk>");
        t.put("model_max_length", MAX_POSITIONS);
        t.put("add_bos_token", true);
        t.put("chat_template", CHAT_TEMPLATE);
        return t;
    }

    private static float[] init(String name, Parameter p, long seed) {
        float[] w = new float[Math.toIntExact(p.numel())];
        // One stream per tensor, keyed by name, so adding a tensor never changes the others.
        Random r = new Random(seed * 31 + name.hashCode());
        if (name.endsWith("norm.weight")) {
            java.util.Arrays.fill(w, 1f);
            return w;
        }
        double std;
        if (name.endsWith("embed_tokens.weight")) {
            std = 0.3;
        } else {
            std = 1.0 / Math.sqrt(p.shape().get(1));
            if (name.endsWith("o_proj.weight") || name.endsWith("down_proj.weight")) {
                std /= Math.sqrt(2.0 * LAYERS);
            }
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * std);
        }
        return w;
    }

    private static String corpus() {
        try (InputStream in = TinyModel.class.getResourceAsStream("corpus.txt")) {
            if (in == null) {
                throw new PeftCoreException("tiny model corpus missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PeftCoreException("cannot read tiny model corpus", e);
        }
    }

    private static void writeJson(Path file, ObjectNode node) throws IOException {
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), node);
    }

    /** Writes the default tiny model to the directory given as the first argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: TinyModel <output-dir>");
            System.exit(2);
        }
        System.out.println("wrote " + write(Path.of(args[0])));
    }
}
