package io.peftflow.core.tuners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.nn.Parameter;
import java.util.Map;

/**
 * Sequence classification from the last real token's final hidden state (as transformers does), through a trained
 * {@code score} projection. It leaves the LM's forward alone; other active adapters (LoRA, prompt) shape the
 * hidden states it reads, and train through it. The trainer uses it when it is active and the data carries class
 * labels ({@link io.peftflow.core.data.SequenceEncoder#encodeClasses}).
 */
public final class ClassificationHead extends BaseAdapter<ClassificationHeadConfig> {
    private final Dense score;

    private ClassificationHead(String name, ClassificationHeadConfig config, Dense score) {
        super(name, config);
        this.score = score;
    }

    static ClassificationHead attach(ClassificationHeadConfig config, CausalLM model, String name, long seed) {
        Dense score = new Dense("score." + name, model.config().hiddenSize(), config.numLabels(), false);
        Inits.normal(score.weight(), model.manager(), seed, "score", 0.02);
        return new ClassificationHead(name, config, score);
    }

    /**
     * Label logits {@code [B, num_labels]} (fp32) for inputs padded left or right: the last position whose mask is 1
     * (the last position without a mask), after any virtual tokens.
     */
    public NDArray logits(PeftModel peft, ForwardArgs args) {
        NDArray hidden = peft.hiddenStates(args);
        long b = hidden.getShape().get(0);
        long s = hidden.getShape().get(1);
        long h = hidden.getShape().get(2);
        NDArray last;
        if (args.attentionMask() == null) {
            last = hidden.get(":, -1, :");
        } else {
            NDArray mask = args.attentionMask().toType(DataType.INT64, false);
            long t = mask.getShape().get(1);
            NDArray positions = mask.getManager().arange(1, (int) t + 1).toType(DataType.INT64, false)
                    .toDevice(mask.getDevice(), false);
            NDArray index = mask.mul(positions).max(new int[] {1}).add(s - t - 1);
            last = hidden.gather(index.reshape(b, 1, 1).repeat(2, h), 1).squeeze(1);
        }
        return score.forward(Fp32.of(last));
    }

    /**
     * Summed cross-entropy of label logits {@code [B, C]} against class indices {@code [B]} (int64). A sum, not a
     * mean: the trainer divides by the sequences of a whole update, as it divides the LM loss by its tokens.
     */
    public static NDArray crossEntropySum(NDArray logits, NDArray classes) {
        return logits.logSoftmax(-1).gather(classes.reshape(classes.getShape().get(0), 1), 1).sum().neg();
    }

    public Parameter weight() {
        return score.weight();
    }

    @Override
    protected void switchHooks(boolean on) {
        // no hooks: the head runs only when logits() is called
    }

    @Override
    public Map<String, Parameter> parameters() {
        return Map.of(score.weight().name(), score.weight());
    }

    @Override
    public Map<String, Parameter> savedParameters() {
        return Map.of("base_model.model.score.weight", score.weight());
    }

    @Override
    public void detach() {
        score.weight().array().close();
    }
}
