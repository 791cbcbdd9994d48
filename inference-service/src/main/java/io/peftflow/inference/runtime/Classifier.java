package io.peftflow.inference.runtime;

import io.peftflow.core.scoring.LabelScorer;
import io.peftflow.core.scoring.LabelSet;
import io.peftflow.data.Turn;
import io.peftflow.inference.api.FieldProblems;
import io.peftflow.inference.registry.ModelStack;
import io.peftflow.inference.registry.Resolutions;
import io.peftflow.inference.registry.ServedStack;
import io.peftflow.kit.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;

/**
 * Classification by label likelihood: each input, rendered as the user turn of the adapter's prompt template, is
 * scored against every label the adapter was trained on; the answer is the most likely label with its probability
 * among the labels, never anything else. A request holds no thread while it waits for its pass: where nothing on its
 * way there blocks (its model name resolved from the cache, the version staged and warm) it is handed to the base on the
 * caller's thread (an event loop), otherwise that way runs on a worker thread; either way the answer is built on the
 * request's own Vert.x context, not on the base's thread. Why: a worker thread parked on each request's pass cost two
 * context switches a request on cores the passes need (docs/BENCHMARKS.md, classify).
 */
@ApplicationScoped
public class Classifier {
    /** One label with its probability. */
    public record Scored(String label, double probability) {
    }

    /** The answer for one input: the best label and the {@code topK} best. */
    public record Item(int index, String label, double probability, List<Scored> top) {
    }

    public record Result(ServedStack version, List<Item> items) {
    }

    private final Resolutions resolutions;
    private final Engine engine;

    public Classifier(Resolutions resolutions, Engine engine) {
        this.resolutions = resolutions;
        this.engine = engine;
    }

    /** {@code inputField} names the request field of the inputs ({@code input} or {@code inputs}) in errors. */
    public Uni<Result> classify(String tenant, ModelStack model, List<String> inputs, String inputField, int topK) {
        Context context = Vertx.currentContext();
        Executor answer = context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
        Optional<Engine.Served> ready = resolutions.cached(tenant, model).flatMap(engine::servedNow);
        Uni<Engine.Served> served = ready.isPresent() ? Uni.createFrom().item(ready.get())
                // a registry lookup, a download or a version's warm-up on the way: not on an event loop
                : Uni.createFrom().item(() -> engine.serve(resolutions.resolve(tenant, model)))
                        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        return served.chain(s -> score(s, inputs, inputField, topK, answer));
    }

    private Uni<Result> score(Engine.Served served, List<String> inputs, String inputField, int topK, Executor answer) {
        LabelSet labels = served.adapter().labels();
        if (!labels.classifies()) {
            throw FieldProblems.of(Problem.UNPROCESSABLE_CONTENT, "model", served.version().modelId()
                    + " was trained on generative data (no label set): use /v1/chat/completions");
        }
        LoadedBase base = served.base();
        int longest = base.labelTokens(served.adapter()).stream().mapToInt(c -> c.length).max().orElse(0);
        List<long[]> prompts = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            long[] ids = labels.promptIds(base.tokenizer(), List.of(new Turn(Turn.USER, inputs.get(i))));
            if (ids.length + longest > base.scoringPositions()) {
                throw FieldProblems.badRequest(inputField + (inputField.equals("inputs") ? "[" + i + "]" : ""),
                        ids.length + " tokens with the longest label's " + longest + " exceed the model's context of "
                                + base.scoringPositions());
            }
            prompts.add(ids);
        }
        return Uni.createFrom().completionStage(base.classify(served.adapter(), prompts))
                .ifNoItem().after(Futures.TIMEOUT).failWith(Futures::overloaded)
                .emitOn(answer)
                .map(scores -> result(served, labels, scores, topK));
    }

    private static Result result(Engine.Served served, LabelSet labels, double[][] scores, int topK) {
        List<Item> items = new ArrayList<>(scores.length);
        for (int i = 0; i < scores.length; i++) {
            double[] p = LabelScorer.probabilities(scores[i]);
            List<Scored> ranked = IntStream.range(0, p.length).boxed()
                    .sorted(Comparator.comparingDouble((Integer l) -> -p[l]).thenComparing(l -> l))
                    .limit(Math.max(1, topK)).map(l -> new Scored(labels.labels().get(l), p[l])).toList();
            items.add(new Item(i, ranked.get(0).label(), ranked.get(0).probability(), ranked));
        }
        return new Result(served.version(), items);
    }
}
