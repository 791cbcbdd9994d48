package io.peftflow.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.generation.GreedyGenerator;
import io.peftflow.core.nn.Linear;
import io.peftflow.core.tiny.TinyModel;
import io.peftflow.core.tokenizer.Tokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The extension points carry a real fine-tune: a minimal LoRA written as {@link Linear} hooks on the frozen
 * embedded model learns to map transaction descriptions to labels (what the tuning issue builds on).
 */
class HookTrainingTest {
    static final String[][] DATA = {
        {"STARBUCKS coffee latte", "dining"}, {"MCDONALDS restaurant", "dining"}, {"PIZZA HUT delivery", "dining"},
        {"TESCO STORES grocery", "groceries"}, {"ALDI MARKET purchase", "groceries"}, {"WHOLE FOODS MARKET", "groceries"},
        {"UBER trip ride", "transport"}, {"SHELL petrol station", "transport"}, {"METRO transit card", "transport"},
        {"NETFLIX monthly subscription", "entertainment"}, {"SPOTIFY premium", "entertainment"},
        {"PAYROLL DEPOSIT salary", "income"},
    };

    @TempDir
    Path tmp;

    @Test
    void loraHooksLearnLabelsOnFrozenTinyModel() {
        Path dir = TinyModel.write(tmp.resolve("tiny"));
        try (CausalLM model = Models.load(dir, LoadOptions.cpu()); Tokenizer tok = Tokenizer.load(dir)) {
            assertEquals(0, model.trainableParameterCount(), "loaded frozen");
            NDManager pm = model.manager();
            List<NDArray> params = new ArrayList<>();
            int r = 8;
            for (Linear l : model.modulesOfType(Linear.class)) {
                if (!l.name().endsWith("q_proj") && !l.name().endsWith("v_proj")) {
                    continue;
                }
                NDArray a = pm.randomUniform(-0.1f, 0.1f, new Shape(r, l.inFeatures()));
                NDArray b = pm.zeros(new Shape(l.outFeatures(), r));
                a.setRequiresGradient(true);
                b.setRequiresGradient(true);
                params.add(a);
                params.add(b);
                l.hooks().add("lora", (out, in) -> out.add(in.matMul(a.transpose()).matMul(b.transpose()).mul(2f)));
            }
            List<long[]> prompts = new ArrayList<>();
            List<long[]> answers = new ArrayList<>();
            for (String[] ex : DATA) {
                prompts.add(tok.encode("Description: " + ex[0] + "\nCategory:"));
                long[] ans = tok.encode(" " + ex[1], false);
                long[] withEos = Arrays.copyOf(ans, ans.length + 1);
                withEos[ans.length] = 2;
                answers.add(withEos);
            }
            int before = exactMatches(model, prompts, answers);
            float first = 0;
            float last = 0;
            Adam adam = new Adam(params, 0.02f);
            for (int step = 0; step < 30; step++) {
                try (NDManager s = pm.newSubManager()) {
                    NDArray[] batch = batch(s, prompts, answers);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = model.forward(ForwardArgs.ids(batch[0]).attentionMask(batch[1]));
                        NDArray loss = CausalLmLoss.mean(logits, batch[2]);
                        gc.backward(loss);
                        last = loss.getFloat();
                        first = step == 0 ? last : first;
                    }
                    adam.step();
                }
            }
            int after = exactMatches(model, prompts, answers);
            System.out.printf("hook LoRA: loss %.3f -> %.3f, exact match %d -> %d of %d%n", first, last, before, after,
                    DATA.length);
            assertTrue(last < first * 0.3, "loss falls: " + first + " -> " + last);
            assertTrue(after > before && after >= DATA.length * 3 / 4, before + " -> " + after);
        }
    }

    /** Right-padded ids, mask, and labels with the prompt and padding set to -100. */
    private static NDArray[] batch(NDManager m, List<long[]> prompts, List<long[]> answers) {
        int b = prompts.size();
        int t = 0;
        for (int i = 0; i < b; i++) {
            t = Math.max(t, prompts.get(i).length + answers.get(i).length);
        }
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] labels = new long[b * t];
        Arrays.fill(labels, CausalLmLoss.IGNORE_INDEX);
        for (int i = 0; i < b; i++) {
            long[] p = prompts.get(i);
            long[] a = answers.get(i);
            System.arraycopy(p, 0, ids, i * t, p.length);
            System.arraycopy(a, 0, ids, i * t + p.length, a.length);
            System.arraycopy(a, 0, labels, i * t + p.length, a.length);
            Arrays.fill(mask, i * t, i * t + p.length + a.length, 1);
        }
        Shape s = new Shape(b, t);
        return new NDArray[] {m.create(ids, s), m.create(mask, s), m.create(labels, s)};
    }

    private static int exactMatches(CausalLM model, List<long[]> prompts, List<long[]> answers) {
        List<long[]> got = new GreedyGenerator(model).generate(prompts, 6, List.of(2L));
        int hits = 0;
        for (int i = 0; i < got.size(); i++) {
            hits += Arrays.equals(got.get(i), answers.get(i)) ? 1 : 0;
        }
        return hits;
    }

    /** Plain Adam; zeroes gradients after each step (they accumulate across backward calls). */
    private static final class Adam {
        private final List<NDArray> params;
        private final List<NDArray> m = new ArrayList<>();
        private final List<NDArray> v = new ArrayList<>();
        private final float lr;
        private int t;

        Adam(List<NDArray> params, float lr) {
            this.params = params;
            this.lr = lr;
            for (NDArray p : params) {
                m.add(p.zerosLike());
                v.add(p.zerosLike());
            }
        }

        void step() {
            t++;
            float c1 = (float) (1 - Math.pow(0.9, t));
            float c2 = (float) (1 - Math.pow(0.999, t));
            for (int i = 0; i < params.size(); i++) {
                NDArray p = params.get(i);
                NDArray g = p.getGradient();
                m.get(i).muli(0.9f).addi(g.mul(0.1f));
                v.get(i).muli(0.999f).addi(g.square().mul(0.001f));
                NDArray update = m.get(i).div(c1).div(v.get(i).div(c2).sqrt().add(1e-8f)).mul(lr);
                p.subi(update);
                update.close();
                g.subi(g);
                g.close(); // getGradient() returns a new handle each call, attached to the parameter's manager
            }
        }
    }
}
