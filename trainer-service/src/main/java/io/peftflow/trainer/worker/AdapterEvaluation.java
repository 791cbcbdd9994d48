package io.peftflow.trainer.worker;

import io.peftflow.core.PeftCoreException;
import io.peftflow.core.data.EncodedDataset;
import io.peftflow.core.data.Examples;
import io.peftflow.core.data.OverLongPolicy;
import io.peftflow.core.data.SequenceEncoder;
import io.peftflow.core.device.Devices;
import io.peftflow.core.evaluation.Evaluator;
import io.peftflow.core.evaluation.ExactMatch;
import io.peftflow.core.evaluation.LossMetrics;
import io.peftflow.core.model.CausalLM;
import io.peftflow.core.model.LoadOptions;
import io.peftflow.core.model.Models;
import io.peftflow.core.tokenizer.Tokenizer;
import io.peftflow.core.tuners.PeftModel;
import io.peftflow.data.Example;
import io.peftflow.events.contract.S3Uri;
import io.peftflow.events.training.EvaluationRequested;
import io.peftflow.events.training.EvaluationSet;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.RunMetrics;
import io.peftflow.trainer.TrainerConfig;
import io.peftflow.trainer.datasets.KnownVersion;
import io.peftflow.trainer.jobs.FineTuningJob;
import io.peftflow.trainer.jobs.JobRepository;
import io.peftflow.trainer.jobs.JsonText;
import io.peftflow.trainer.models.BaseModels;
import io.peftflow.trainer.queue.JobQueue;
import io.peftflow.trainer.storage.Transfers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a claimed {@code evaluation} job: every candidate version's adapter (the files its training job stored, checked
 * against their SHA-256) is loaded on one base model and measured by the same code on the same examples — the
 * evaluation set's validation split — so that their numbers are comparable. Reports each example's exact-match
 * outcome for a paired comparison. No training: no gradient, dropout off, greedy generation.
 */
@ApplicationScoped
public class AdapterEvaluation {
    private static final Logger LOG = Logger.getLogger(AdapterEvaluation.class);
    private static final int LOSS_BATCH = 16;
    private static final int GENERATION_BATCH = 64;

    private final JobQueue queue;
    private final JobRepository jobs;
    private final JobRunner runner;
    private final BaseModels models;
    private final Transfers transfers;
    private final TrainerConfig config;

    public AdapterEvaluation(JobQueue queue, JobRepository jobs, JobRunner runner, BaseModels models,
                             Transfers transfers, TrainerConfig config) {
        this.queue = queue;
        this.jobs = jobs;
        this.runner = runner;
        this.models = models;
        this.transfers = transfers;
        this.config = config;
    }

    JobQueue.Outcome run(JobQueue.Claim claim, JobRunner.Running running, Path workDir) {
        FineTuningJob job = claim.job();
        Path dir = workDir.resolve(job.id + "-" + claim.lease().attempt());
        try {
            EvaluationSucceeded result = evaluate(job, running, dir);
            if (result == null) {
                return running.released ? release(claim) : queue.cancelled(claim.lease());
            }
            return queue.evaluated(claim.lease(), result, summary(result));
        } catch (PeftCoreException | JobRunner.InputException e) {
            LOG.warnf("evaluation job %s failed on its input: %s", job.id, e.getMessage());
            return queue.failed(claim.lease(), JobFailed.Kind.USER_ERROR, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "evaluation job %s failed", job.id);
            return queue.failed(claim.lease(), JobFailed.Kind.SYSTEM_ERROR,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        } finally {
            BaseModels.deleteTree(dir);
        }
    }

    private JobQueue.Outcome release(JobQueue.Claim claim) {
        queue.release(claim.lease());
        return JobQueue.Outcome.LOST;
    }

    /** The scores, or null when the job was cancelled (or its worker stops) between candidates. */
    private EvaluationSucceeded evaluate(FineTuningJob job, JobRunner.Running running, Path dir) {
        EvaluationRequested request = JsonText.read(job.evaluationRequest, EvaluationRequested.class);
        KnownVersion data = runner.data(job);
        if (data.validationExamples > EvaluationSucceeded.MAX_EXAMPLES) {
            throw new JobRunner.InputException("evaluation set " + job.datasetName + " v" + job.datasetVersion + " has "
                    + data.validationExamples + " validation examples; at most " + EvaluationSucceeded.MAX_EXAMPLES
                    + " are compared example by example");
        }
        Path validation = dir.resolve("data/validation.jsonl");
        transfers.download(S3Uri.parse(data.validationUri), validation, data.validationSha256);
        List<Example> examples = Examples.read(validation);
        // Each candidate with its frozen stack beneath it (stack_on): a stacked version is measured as it is served.
        List<List<Path>> adapters = new ArrayList<>();
        for (EvaluationRequested.Candidate c : request.candidates()) {
            adapters.add(fetch(job, c, dir.resolve("v" + c.version())));
        }
        Path modelDir = models.localDir(job.recipe.baseModel());
        var device = Devices.pick(config.device());
        List<EvaluationSucceeded.Score> scores = new ArrayList<>();
        try (CausalLM model = Models.load(modelDir, new LoadOptions(device, Devices.defaultDtype(device)));
             Tokenizer tok = Tokenizer.load(modelDir)) {
            PeftModel peft = new PeftModel(model);
            for (int i = 0; i < adapters.size(); i++) {
                if (running.cancel.isCancelled()) {
                    return null;
                }
                List<String> names = new ArrayList<>();
                try {
                    for (Path layer : adapters.get(i)) {
                        String name = "v" + request.candidates().get(i).version() + "-" + names.size();
                        peft.load(layer, name);
                        names.add(name);
                    }
                    peft.setActive(names.toArray(String[]::new));
                    scores.add(score(request.candidates().get(i).version(), peft, tok, examples));
                } finally {
                    names.forEach(peft::remove);
                }
            }
        }
        ExactMatch.Majority majority = ExactMatch.majority(examples);
        return new EvaluationSucceeded(job.id, job.tenant, request.requestId(), request.adapterName(),
                new EvaluationSet(job.datasetName, job.datasetVersion, EvaluationSet.VALIDATION, data.validationSha256,
                        examples.size()), scores,
                new RunMetrics.Baseline(majority.answer(), majority.accuracy(), majority.macroAccuracy(), majority.answers()),
                OffsetDateTime.now());
    }

    /**
     * The candidate's adapter files, from the training job that made them (this tenant's, trained with the
     * evaluation's base model), downloaded and checked against their SHA-256: its frozen stack's first, bottom first.
     */
    private List<Path> fetch(FineTuningJob evaluation, EvaluationRequested.Candidate c, Path dir) {
        String missing = "version " + c.version() + ": job " + c.jobId() + " has no trained adapter";
        FineTuningJob trained = QuarkusTransaction.requiringNew().call(() ->
                jobs.findForTenant(evaluation.tenant, c.jobId())).orElseThrow(() -> new JobRunner.InputException(missing));
        if (!evaluation.recipe.baseModel().equals(trained.recipe.baseModel())) {
            throw new JobRunner.InputException("version " + c.version() + " was trained on base model '"
                    + trained.recipe.baseModel() + "', the evaluation loads '" + evaluation.recipe.baseModel() + "'");
        }
        List<Path> layers = new ArrayList<>(runner.stackedAdapters(trained, dir.resolve("stack")));
        layers.add(runner.storedAdapter(trained, dir.resolve("adapter"))
                .orElseThrow(() -> new JobRunner.InputException(missing)));
        return layers;
    }

    private static EvaluationSucceeded.Score score(int version, PeftModel peft, Tokenizer tok, List<Example> examples) {
        SequenceEncoder encoder = new SequenceEncoder(tok, null, tok.maxLength() - peft.virtualTokens(),
                OverLongPolicy.TRUNCATE, false);
        EncodedDataset encoded = encoder.encode(examples);
        LossMetrics loss = Evaluator.loss(peft, encoded, LOSS_BATCH, tok.padId().orElse(tok.eosId().orElse(0L)));
        List<String> predicted = Evaluator.predictions(peft, encoder, examples,
                Evaluator.answerTokens(encoder, examples), GENERATION_BATCH);
        boolean[] hits = new boolean[examples.size()];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = ExactMatch.hit(examples.get(i), predicted.get(i));
        }
        ExactMatch em = ExactMatch.score(examples, predicted);
        return new EvaluationSucceeded.Score(version, new RunMetrics.EvalMetrics(loss.loss(), loss.perplexity(),
                loss.tokenAccuracy(), em.accuracy(), em.macroAccuracy()), EvaluationSucceeded.Score.encode(hits));
    }

    private static String summary(EvaluationSucceeded r) {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s v%d %s (%d examples):", r.set().dataset(),
                r.set().version(), r.set().split(), r.set().examples()));
        for (EvaluationSucceeded.Score score : r.scores()) {
            s.append(String.format(Locale.ROOT, " v%d exact match %.3f, eval loss %.4f;", score.version(),
                    score.metrics().exactMatch(), score.metrics().evalLoss()));
        }
        return s.toString();
    }
}
