package io.peftflow.inference.runtime;

import io.peftflow.core.generation.DecodingBatch;
import io.peftflow.core.generation.SampledGenerator;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.data.Turn;
import io.peftflow.inference.api.FieldProblems;
import io.peftflow.inference.registry.ModelStack;
import io.peftflow.inference.registry.Resolutions;
import io.peftflow.inference.registry.ServedStack;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Text generation through an adapter: chat messages rendered with the prompt template the adapter was trained with,
 * or a raw prompt; sampled on the base's thread in a batch with the other completions of the base ({@link Decoder}),
 * the text handed out piece by piece as it is decoded (streaming), stop sequences cut off (never part of the text).
 */
@ApplicationScoped
public class Completer {
    private static final Logger LOG = Logger.getLogger(Completer.class);

    /** What to generate: {@code maxTokens} new tokens at most, sampled so, ending early at any of {@code stop}. */
    public record Settings(int maxTokens, double temperature, double topP, long seed, List<String> stop) {
    }

    /** A prompt: chat turns (rendered with the adapter's template) or raw text. */
    public record Prompt(List<Turn> turns, String text, String field) {
        public static Prompt chat(List<Turn> turns) {
            return new Prompt(turns, null, "messages");
        }

        public static Prompt raw(String text) {
            return new Prompt(null, text, "prompt");
        }
    }

    /**
     * A running generation, a row of its base's decoding batch: its text arrives in pieces until {@link #next} returns
     * null. Pieces are cut on the base's thread as tokens arrive: text that could still become a stop sequence (or an
     * incomplete UTF-8 character) is held back, a stop sequence ends the row.
     */
    public static final class Generation implements DecodingBatch.Sequence {
        private final ServedStack version;
        private final int promptTokens;
        private final Tokenizer tokenizer;
        private final List<String> stop;
        private final int holdBack;
        private final BlockingQueue<String> pieces = new LinkedBlockingQueue<>();
        private final CompletableFuture<SampledGenerator.Finish> done = new CompletableFuture<>();
        private final List<Long> tokens = new ArrayList<>();
        private int emitted;
        private volatile int completionTokens;
        private volatile boolean cancelled;

        Generation(ServedStack version, int promptTokens, Tokenizer tokenizer, List<String> stop) {
            this.version = version;
            this.promptTokens = promptTokens;
            this.tokenizer = tokenizer;
            this.stop = stop;
            this.holdBack = stop.stream().mapToInt(String::length).max().orElse(1) - 1;
        }

        public ServedStack version() {
            return version;
        }

        public int promptTokens() {
            return promptTokens;
        }

        public int completionTokens() {
            return completionTokens;
        }

        @Override
        public boolean accept(long token) {
            tokens.add(token);
            completionTokens = tokens.size();
            String text = text(tokens);
            int cut = firstStop(text, stop);
            int safe = cut >= 0 ? cut : text.endsWith("\uFFFD") ? text.length() - 1
                    : Math.max(emitted, text.length() - holdBack);
            emit(text, safe);
            return cut < 0 && !cancelled;
        }

        @Override
        public void finished(SampledGenerator.Finish why) {
            String text = text(tokens);
            int cut = firstStop(text, stop);
            emit(text, cut >= 0 ? cut : text.length());
            LOG.debugf("completion of %s ended (%s) after %d tokens", version.modelId(),
                    cancelled ? "cancelled by its client" : cut >= 0 ? "a stop sequence" : why, tokens.size());
            done.complete(cut >= 0 ? SampledGenerator.Finish.STOP : why);
        }

        @Override
        public void failed(RuntimeException e) {
            done.completeExceptionally(e);
        }

        private String text(List<Long> ids) {
            return tokenizer.decode(ids.stream().mapToLong(Long::longValue).toArray());
        }

        private void emit(String text, int upTo) {
            if (upTo > emitted) {
                pieces.add(text.substring(emitted, upTo));
                emitted = upTo;
            }
        }

        /** The next piece of text, or null once generation has ended and every piece was taken. */
        public String next() throws InterruptedException {
            while (true) {
                String piece = pieces.poll(50, TimeUnit.MILLISECONDS);
                if (piece != null) {
                    return piece;
                }
                if (done.isDone() && pieces.isEmpty()) {
                    Futures.await(done);
                    return null;
                }
            }
        }

        /** {@code stop} or {@code length}, once {@link #next} returned null. */
        public String finishReason() {
            return Futures.await(done) == SampledGenerator.Finish.LENGTH ? "length" : "stop";
        }

        /** Stops generating (the client went away): the row leaves the batch at its next token. */
        public void cancel() {
            cancelled = true;
        }

        /**
         * All the text at once. {@code clientLeft} is asked after each piece: a client that left ends the row at the
         * next decoding step (the text so far is returned, to nobody) instead of decoding to max_tokens.
         */
        public String text(BooleanSupplier clientLeft) throws InterruptedException {
            StringBuilder sb = new StringBuilder();
            for (String piece = next(); piece != null; piece = next()) {
                if (clientLeft.getAsBoolean()) {
                    cancel();
                }
                sb.append(piece);
            }
            return sb.toString();
        }
    }

    private final Resolutions resolutions;
    private final Engine engine;

    public Completer(Resolutions resolutions, Engine engine) {
        this.resolutions = resolutions;
        this.engine = engine;
    }

    public Generation start(String tenant, ModelStack model, Prompt prompt, Settings settings) {
        Engine.Served served = engine.serve(resolutions.resolve(tenant, model));
        LoadedBase base = served.base();
        Tokenizer tok = base.tokenizer();
        long[] ids = prompt.turns() != null ? served.adapter().labels().promptIds(tok, prompt.turns())
                : tok.encodePrompt(prompt.text());
        if (ids.length >= base.context()) {
            throw FieldProblems.badRequest(prompt.field(), ids.length + " tokens, more than the model's context of "
                    + base.context() + " leaves room for");
        }
        if (settings.maxTokens() > base.context() - ids.length) {
            throw FieldProblems.badRequest("max_tokens", settings.maxTokens() + " new tokens after a prompt of "
                    + ids.length + " exceed the model's context of " + base.context());
        }
        Generation g = new Generation(served.version(), ids.length, tok, settings.stop());
        base.generate(new Decoder.Request(served.adapter(), ids, settings.maxTokens(),
                new SampledGenerator.Sampling(settings.temperature(), settings.topP(), settings.seed()), tok.stopIds(),
                g, System.nanoTime()));
        return g;
    }

    private static int firstStop(String text, List<String> stop) {
        return stop.stream().mapToInt(text::indexOf).filter(i -> i >= 0).min().orElse(-1);
    }

}
