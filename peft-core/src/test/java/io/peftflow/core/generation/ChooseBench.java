package io.peftflow.core.generation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Host time of one sampled token ({@link SampledGenerator#choose}) against the boxed full sort it replaced
 * ({@link SampledChoiceTest#sortingTheVocabulary}), alternated for 3 rounds after a warm-up, medians printed; with
 * the floor every implementation pays (the softmax's exp and sum over the vocabulary). Not a test: run its main,
 * {@code java -cp <peft-core test classpath> io.peftflow.core.generation.ChooseBench [vocab] [logit std]}.
 */
public final class ChooseBench {
    private static final int ROWS = 64;
    private static final int CALLS = 200;

    private interface Contender {
        long choose(float[] logits, SampledGenerator.Sampling sampling, Random random);
    }

    public static void main(String[] args) {
        int vocab = args.length > 0 ? Integer.parseInt(args[0]) : 32_000;
        float std = args.length > 1 ? Float.parseFloat(args[1]) : 3;
        Random values = new Random(7);
        float[][] rows = new float[ROWS][vocab];
        for (float[] row : rows) {
            for (int i = 0; i < vocab; i++) {
                row[i] = (float) values.nextGaussian() * std;
            }
        }
        String[] names = {"boxed full sort", "bucketed", "exp+sum floor"};
        Contender[] contenders = {SampledChoiceTest::sortingTheVocabulary, SampledGenerator::choose,
            (logits, sampling, random) -> softmaxFloor(logits, sampling.temperature())};
        for (double topP : new double[] {0.9, 1.0}) {
            SampledGenerator.Sampling sampling = new SampledGenerator.Sampling(0.8, topP, 1);
            List<List<Double>> ms = new ArrayList<>();
            for (int c = 0; c < contenders.length; c++) {
                ms.add(new ArrayList<>());
            }
            for (int round = 0; round <= 3; round++) { // round 0 warms up
                for (int c = 0; c < contenders.length; c++) {
                    Random random = new Random(1);
                    long sink = 0;
                    long start = System.nanoTime();
                    for (int call = 0; call < CALLS; call++) {
                        sink += contenders[c].choose(rows[call % ROWS], sampling, random);
                    }
                    double perRow = (System.nanoTime() - start) / 1e6 / CALLS;
                    if (round > 0) {
                        ms.get(c).add(perRow);
                        System.out.printf(Locale.ROOT, "vocab %d std %.1f t 0.8 top_p %.1f round %d %s: %.3f ms/row"
                                + " (token sum %d)%n", vocab, std, topP, round, names[c], perRow, sink);
                    }
                }
            }
            for (int c = 0; c < contenders.length; c++) {
                List<Double> rounds = ms.get(c);
                rounds.sort(null);
                System.out.printf(Locale.ROOT, "RESULT choose vocab %d std %.1f t 0.8 top_p %.1f %s: median %.3f ms/row"
                        + " %s%n", vocab, std, topP, names[c], rounds.get(1), ms.get(c));
            }
        }
    }

    private static long softmaxFloor(float[] logits, double temperature) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp((logit - logits[best]) / temperature);
        }
        return (long) sum;
    }
}
