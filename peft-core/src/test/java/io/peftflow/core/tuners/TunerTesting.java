package io.peftflow.core.tuners;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.peftflow.core.Fixtures;
import io.peftflow.core.model.ForwardArgs;
import io.peftflow.core.nn.Parameter;
import java.util.function.Function;

/** Shared inputs and comparisons for the tuner tests: the reference fixtures' ids, logits as float arrays. */
public final class TunerTesting {
    private TunerTesting() {
    }

    /** Fixture inputs: ids, mask, positions {@code [2, 16]} (row 1 left-padded by 3). */
    public static ForwardArgs fixtureArgs(String fixture, NDManager m) {
        JsonNode exp = Fixtures.expected(fixture);
        long[][] ids = Fixtures.longs(exp.get("input_ids"));
        Shape s = new Shape(ids.length, ids[0].length);
        return ForwardArgs.ids(m.create(Fixtures.flat(ids), s))
                .attentionMask(m.create(Fixtures.flat(Fixtures.longs(exp.get("attention_mask"))), s))
                .positionIds(m.create(Fixtures.flat(Fixtures.longs(exp.get("position_ids"))), s));
    }

    /** Row 0 of the fixture inputs alone, unpadded {@code [1, 16]}. */
    public static ForwardArgs fixtureRow0(String fixture, NDManager m) {
        long[] row = Fixtures.longs(Fixtures.expected(fixture).get("input_ids"))[0];
        return ForwardArgs.ids(m.create(row, new Shape(1, row.length)));
    }

    /** Runs {@code f} in a fresh sub-scope of {@code parent} and returns the result as floats. */
    public static float[] floats(NDManager parent, Function<NDManager, NDArray> f) {
        try (NDManager step = parent.newSubManager()) {
            return f.apply(step).toFloatArray();
        }
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }

    /** Replaces a parameter's value with seeded N(0, std) noise (e.g. to make LoRA's zero-initialised B non-zero). */
    public static void randomize(Parameter p, NDManager m, long seed, double std) {
        NDArray old = p.array();
        Inits.normal(p, m, seed, p.name(), std);
        old.close();
    }
}
