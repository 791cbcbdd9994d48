package io.peftflow.core.tuners;

import ai.djl.ndarray.NDManager;
import io.peftflow.core.nn.Parameter;
import java.util.SplittableRandom;

/**
 * Seeded initialisation of adapter parameters, generated in Java from (seed, key), the key naming the parameter's
 * place without the adapter's name ({@code model.layers.0.self_attn.q_proj.lora_A}): the same seed gives the same
 * adapter whatever its name, the device, the order of injection or the other adapters present. A null manager is a
 * weightless skeleton ({@code Models.create(config, null, ...)}): parameters keep their shapes and get no values.
 */
public final class Inits {
    private Inits() {
    }

    /** Uniform in {@code [-bound, bound)}. */
    public static void uniform(Parameter p, NDManager manager, long seed, String key, double bound) {
        if (manager == null) {
            return;
        }
        SplittableRandom rnd = random(seed, key);
        float[] v = new float[Math.toIntExact(p.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        }
        set(p, manager, v);
    }

    /**
     * torch's {@code kaiming_uniform_(w, a=sqrt(5))} on a {@code [out, in]} weight: gain {@code sqrt(2/(1+a^2))}
     * times {@code sqrt(3/fan_in)} equals {@code 1/sqrt(fan_in)}.
     */
    public static void kaimingUniformSqrt5(Parameter p, NDManager manager, long seed, String key) {
        uniform(p, manager, seed, key, 1.0 / Math.sqrt(p.shape().get(1)));
    }

    /** Normal with mean 0 and standard deviation {@code std}. */
    public static void normal(Parameter p, NDManager manager, long seed, String key, double std) {
        if (manager == null) {
            return;
        }
        SplittableRandom rnd = random(seed, key);
        float[] v = new float[Math.toIntExact(p.numel())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rnd.nextGaussian() * std);
        }
        set(p, manager, v);
    }

    /** {@code n} token ids drawn uniformly from {@code [0, vocab)} (prompt tuning's SAMPLE_VOCAB init). */
    public static long[] sampleIds(int n, long vocab, long seed, String key) {
        return random(seed, key).longs(n, 0, vocab).toArray();
    }

    public static void zeros(Parameter p, NDManager manager) {
        if (manager != null) {
            p.set(manager.zeros(p.shape()));
        }
    }

    private static void set(Parameter p, NDManager manager, float[] values) {
        if (manager != null) {
            p.set(manager.create(values, p.shape()));
        }
    }

    private static SplittableRandom random(long seed, String key) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ key.hashCode());
    }

}
