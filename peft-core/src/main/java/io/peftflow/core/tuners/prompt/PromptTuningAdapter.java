package io.peftflow.core.tuners.prompt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.generation.GreedyGenerator;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.nn.Casts;
import io.peftflow.core.nn.Parameter;
import io.peftflow.core.tuners.BaseAdapter;
import io.peftflow.core.tuners.InputAdapter;
import io.peftflow.core.tuners.Inits;
import java.util.Map;

/**
 * PEFT's prompt tuning for causal LMs: a {@code [P, hidden]} table of virtual-token embeddings (in-model name
 * {@code prompt_encoder.<adapter>.embedding.weight}, saved as {@code prompt_embeddings}) prepended to the input
 * embeddings, with the attention mask extended by P ones. Not part of the base model's module tree, as in PEFT.
 */
public final class PromptTuningAdapter extends BaseAdapter<PromptTuningConfig> implements InputAdapter {
    private final Parameter embedding;

    private PromptTuningAdapter(String name, PromptTuningConfig config, Parameter embedding) {
        super(name, config);
        this.embedding = embedding;
    }

    static PromptTuningAdapter attach(PromptTuningConfig config, CausalLM model, String name, long seed) {
        long hidden = model.config().hiddenSize();
        Parameter p = new Parameter("prompt_encoder." + name + ".embedding.weight",
                new Shape(config.numVirtualTokens(), hidden));
        NDManager manager = model.manager();
        long[] ids = config.init() == PromptTuningConfig.Init.SAMPLE_VOCAB
                ? Inits.sampleIds(config.numVirtualTokens(), model.config().vocabSize(), seed, "prompt_encoder.init")
                : config.initIds();
        if (ids == null) {
            Inits.normal(p, manager, seed, "prompt_encoder.embedding", 1.0);
        } else {
            long vocab = model.config().vocabSize();
            for (long id : ids) {
                if (id < 0 || id >= vocab) {
                    throw new PeftCoreException("prompt init token id " + id + " is outside the vocabulary of " + vocab);
                }
            }
            if (manager == null) { // a skeleton has shapes only
                return new PromptTuningAdapter(name, config, p);
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray rows = model.embed(scope.create(ids, new Shape(ids.length)));
                NDArray copy = rows.toType(DataType.FLOAT32, true);
                copy.attach(manager);
                p.set(copy);
            }
        }
        return new PromptTuningAdapter(name, config, p);
    }

    @Override
    public ForwardArgs prepend(CausalLM model, ForwardArgs args) {
        if (args.cache() != null) {
            throw new PeftCoreException("prompt tuning's forward takes the whole sequence; generate with "
                    + "PeftModel.generator(), which keeps the virtual tokens in the KV cache");
        }
        NDArray embeds = args.inputsEmbeds() != null ? args.inputsEmbeds() : model.embed(args.inputIds());
        NDManager m = embeds.getManager();
        long b = embeds.getShape().get(0);
        long t = embeds.getShape().get(1);
        int p = virtualTokens();
        ForwardArgs out = ForwardArgs.embeds(promptEmbeddings(m, b, embeds.getDataType()).concat(embeds, 1));
        NDArray mask = args.attentionMask();
        NDArray ones = m.ones(new Shape(b, p), mask == null ? DataType.INT64 : mask.getDataType());
        out.attentionMask(mask == null ? m.ones(new Shape(b, p + t), DataType.INT64) : ones.concat(mask, 1))
                .rightPadded(args.rightPadded());
        if (args.positionIds() != null) {
            NDArray pos = args.positionIds().toType(DataType.INT64, false);
            NDArray virtual = m.arange(0, p).toType(DataType.INT64, false).expandDims(0).repeat(0, b);
            out.positionIds(virtual.concat(pos.add(p), 1));
        }
        return out;
    }

    /** {@code [batch, P, hidden]} in {@code dtype}, differentiable, in {@code scope}. */
    private NDArray promptEmbeddings(NDManager scope, long batch, DataType dtype) {
        // zeros + prompt: the scope's array comes first, so the result and its graph stay in the scope.
        NDArray prompt = scope.zeros(new Shape(batch, virtualTokens(), embedding.shape().get(1)), DataType.FLOAT32)
                .add(embedding.array());
        return Casts.to(prompt, dtype);
    }

    @Override
    public GreedyGenerator.Prefix generationPrefix(CausalLM model) {
        return new GreedyGenerator.Prefix() {
            @Override
            public int length() {
                return virtualTokens();
            }

            @Override
            public NDArray embeddings(NDManager scope, int batch) {
                return promptEmbeddings(scope, batch, model.dtype());
            }
        };
    }

    @Override
    public int virtualTokens() {
        return config().numVirtualTokens();
    }

    /** The embedding table {@code [P, hidden]}. */
    public Parameter embedding() {
        return embedding;
    }

    @Override
    public ObjectNode configJson(String baseModelNameOrPath) {
        ObjectNode n = config().toJson(baseModelNameOrPath);
        n.put("token_dim", embedding.shape().get(1));
        return n;
    }

    @Override
    public Map<String, Parameter> parameters() {
        return Map.of(embedding.name(), embedding);
    }

    @Override
    public Map<String, Parameter> savedParameters() {
        return Map.of("prompt_embeddings", embedding);
    }

    /** Input adapters have no hooks: {@link io.peftflow.core.tuners.PeftModel} asks whether it is enabled. */
    @Override
    protected void switchHooks(boolean on) {
    }

    @Override
    public void detach() {
        embedding.array().close();
    }
}
