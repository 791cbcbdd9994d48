package io.peftflow.registry.evaluation;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.peftflow.events.EventCodec;
import io.peftflow.events.EventTypes;
import io.peftflow.events.Topics;
import io.peftflow.events.training.DatasetRef;
import io.peftflow.events.training.EvaluationRequested;
import io.peftflow.events.training.EvaluationSucceeded;
import io.peftflow.events.training.JobFailed;
import io.peftflow.events.training.JobIds;
import io.peftflow.kit.outbox.Outbox;
import io.peftflow.registry.catalog.Adapter;
import io.peftflow.registry.catalog.AdapterAlias;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.catalog.AliasMove;
import io.peftflow.registry.catalog.AliasService;
import io.peftflow.registry.catalog.PromotionEvaluation;
import io.peftflow.registry.catalog.VersionRepository;
import io.peftflow.registry.catalog.VersionStatus;
import io.peftflow.registry.promotion.Promoter;
import io.peftflow.registry.promotion.PromotionPolicy;
import io.peftflow.registry.promotion.SameSetComparison;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Like-for-like promotion. A challenger registered while there is a champion is not judged on its own run's numbers:
 * the registry asks trainer-service (an {@link EvaluationRequested} on {@code peftflow.training-requests}, through the
 * outbox, in the registration's transaction) to measure both on one evaluation set — the policy's pinned set, else the
 * challenger's validation split — and decides when the {@link EvaluationSucceeded} arrives, from a
 * {@link SameSetComparison} of that one answer. A failed evaluation job leaves the challenger unpromoted with the reason.
 */
@ApplicationScoped
public class PromotionEvaluations {
    private static final Logger LOG = Logger.getLogger(PromotionEvaluations.class);
    private static final String SOURCE = "/registry-service";
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Outbox outbox;
    private final VersionRepository versions;
    private final AliasService aliases;
    private final EvaluationSets evaluationSets;

    public PromotionEvaluations(Outbox outbox, VersionRepository versions, AliasService aliases,
                                EvaluationSets evaluationSets) {
        this.outbox = outbox;
        this.versions = versions;
        this.aliases = aliases;
        this.evaluationSets = evaluationSets;
    }

    /**
     * Requests the evaluation of {@code challenger} against {@code champion}; the decision meanwhile (not promoted,
     * with what it waits for, or why no evaluation can compare them).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Promoter.Decision request(Adapter adapter, AdapterVersion challenger, AdapterVersion champion) {
        PromotionPolicy.PinnedSet pinned = adapter.policy().evaluationSet();
        String dataset = pinned != null ? pinned.dataset() : challenger.datasetName;
        Integer version = pinned != null ? Integer.valueOf(pinned.version()) : challenger.datasetVersion;
        if (dataset == null || version == null) {
            return Promoter.Decision.refused("not promoted: v" + challenger.version
                    + " names no dataset version to evaluate it on, and the policy pins no evaluation set");
        }
        if (!Objects.equals(challenger.baseModel, champion.baseModel)) {
            return Promoter.Decision.refused("not promoted: v" + challenger.version + " is trained on base model '"
                    + challenger.baseModel + "', champion v" + champion.version + " on '" + champion.baseModel
                    + "'; move the champion by hand to switch base models");
        }
        if (pinned != null) {
            Optional<String> refusal = evaluationSets.refusal(adapter.tenant, challenger, pinned);
            if (refusal.isPresent()) {
                return Promoter.Decision.refused("not promoted: the pinned evaluation set cannot measure v"
                        + challenger.version + ": " + refusal.get());
            }
        }
        long earlier = PromotionEvaluation.requestsFor(adapter.id, challenger.version);
        String requestId = "promotion:" + adapter.name + ":v" + challenger.version + "-vs-v" + champion.version + ":"
                + (earlier + 1);
        PromotionEvaluation e = new PromotionEvaluation();
        e.tenant = adapter.tenant;
        e.adapterId = adapter.id;
        e.challengerVersion = challenger.version;
        e.championVersion = champion.version;
        e.requestId = requestId;
        e.jobId = JobIds.of(adapter.tenant, requestId);
        e.datasetName = dataset;
        e.datasetVersion = version;
        e.status = PromotionEvaluation.Status.PENDING;
        e.requestedAt = OffsetDateTime.now();
        e.persist();
        EvaluationRequested r = new EvaluationRequested(requestId, adapter.tenant, adapter.name, challenger.baseModel,
                DatasetRef.of(dataset, version), List.of(new EvaluationRequested.Candidate(challenger.version,
                challenger.jobId), new EvaluationRequested.Candidate(champion.version, champion.jobId)), e.requestedAt);
        outbox.enqueue(Topics.TRAINING_REQUESTS, r.key(), EventCodec.wrap(SOURCE,
                EventTypes.TRAINING_EVALUATION_REQUESTED, "adapters/" + adapter.tenant + "/" + adapter.name, r)
                .withId(EvaluationRequested.eventId(adapter.tenant, requestId)));
        return Promoter.Decision.refused("awaiting evaluation job " + e.jobId + ": v" + challenger.version
                + " and champion v" + champion.version + " measured on " + dataset + " v" + version
                + " validation split");
    }

    /** The evaluation's answer: decides on the challenger, once per job (a redelivery changes nothing). */
    @Transactional
    public void answered(EvaluationSucceeded r) {
        Optional<PromotionEvaluation> pending = pending(r.tenant(), r.jobId());
        if (pending.isEmpty()) {
            return;
        }
        PromotionEvaluation e = pending.get();
        e.status = PromotionEvaluation.Status.DONE;
        e.result = JSON.convertValue(r, MAP);
        e.finishedAt = OffsetDateTime.now();
        Adapter adapter = Adapter.findById(e.adapterId, LockModeType.PESSIMISTIC_WRITE);
        Optional<AdapterVersion> found = versions.findVisible(adapter, e.challengerVersion)
                .filter(v -> v.status == VersionStatus.READY);
        if (found.isEmpty()) {
            return; // archived meanwhile
        }
        AdapterVersion challenger = found.get();
        if (!r.set().dataset().equals(e.datasetName) || r.set().version() != e.datasetVersion) {
            challenger.promotionReason = "not promoted: evaluation job " + e.jobId + " measured "
                    + Promoter.describe(r.set()) + ", not the requested " + e.datasetName + " v" + e.datasetVersion;
            return;
        }
        if (challenger.datasetDeletedAt != null) {
            challenger.promotionReason = "not promoted: trained on dataset " + challenger.datasetName + " v"
                    + challenger.datasetVersion + ", deleted at " + challenger.datasetDeletedAt;
            return;
        }
        Optional<AdapterVersion> champion = aliases.find(adapter, AdapterAlias.CHAMPION)
                .flatMap(a -> versions.findVisible(adapter, a.version));
        PromotionPolicy policy = adapter.policy();
        PromotionPolicy.PinnedSet pinned = policy.evaluationSet();
        boolean setChanged = pinned != null && (!pinned.dataset().equals(r.set().dataset())
                || pinned.version() != r.set().version());
        if (champion.isPresent() && champion.get().version == challenger.version) {
            challenger.promotionReason = "made champion by hand while evaluation job " + e.jobId + " ran";
            return;
        }
        if (champion.isEmpty() || champion.get().version != e.championVersion || setChanged) {
            // The champion moved (or the pinned set changed) while the job ran: measure again against the current one.
            Promoter.Decision d = champion.isEmpty()
                    ? Promoter.Decision.refused("not promoted: the champion alias was removed while v"
                            + challenger.version + " was evaluated")
                    : request(adapter, challenger, champion.get());
            challenger.promotionReason = d.reason();
            return;
        }
        Promoter.Decision d = Promoter.decide(policy, e.championVersion,
                SameSetComparison.of(r, e.challengerVersion, e.championVersion));
        challenger.promotionReason = d.reason();
        challenger.decision = JSON.convertValue(d.measured(), MAP);
        if (d.promote()) {
            aliases.move(adapter, AdapterAlias.CHAMPION, challenger, AliasMove.POLICY, d.reason());
        }
        LOG.infof("%s/%s v%d vs champion v%d: %s", adapter.tenant, adapter.name, challenger.version, e.championVersion,
                d.reason());
    }

    /** The evaluation job failed: the challenger stays unpromoted, with the job's reason. */
    @Transactional
    public void failed(JobFailed f) {
        pending(f.tenant(), f.jobId()).ifPresent(e -> {
            e.status = PromotionEvaluation.Status.FAILED;
            e.failureReason = f.reason();
            e.finishedAt = OffsetDateTime.now();
            Adapter adapter = Adapter.findById(e.adapterId);
            versions.findVisible(adapter, e.challengerVersion).ifPresent(v -> v.promotionReason =
                    "not promoted: evaluation job " + e.jobId + " failed: " + f.reason());
        });
    }

    private static Optional<PromotionEvaluation> pending(String tenant, String jobId) {
        return PromotionEvaluation.lockByJob(tenant, jobId).filter(e -> e.status == PromotionEvaluation.Status.PENDING);
    }
}
