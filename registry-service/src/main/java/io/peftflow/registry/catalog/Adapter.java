package io.peftflow.registry.catalog;

import io.peftflow.registry.promotion.PromotionPolicy;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.OffsetDateTime;

/** A tenant's named adapter: the parent of its versions, aliases and promotion policy. */
@Entity
@Table(name = "adapter")
public class Adapter extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(nullable = false)
    public String tenant;

    @Column(nullable = false)
    public String name;

    /** The last version number handed out (taken under this row's lock). */
    @Column(name = "last_version", nullable = false)
    public int lastVersion;

    /** The champion's row, else the latest ready version's: what listings show. */
    @Column(name = "headline_version_id")
    public Long headlineVersionId;

    @Column(name = "policy_metric", nullable = false)
    public String policyMetric;

    @Column(name = "policy_direction", nullable = false)
    public String policyDirection;

    @Column(name = "policy_min_improvement", nullable = false)
    public double policyMinImprovement;

    @Column(name = "policy_must_beat_majority", nullable = false)
    public boolean policyMustBeatMajority;

    @Column(name = "policy_evaluation_dataset")
    public String policyEvaluationDataset;

    @Column(name = "policy_evaluation_version")
    public Integer policyEvaluationVersion;

    @Column(name = "policy_bootstrap_samples")
    public Integer policyBootstrapSamples;

    @Column(name = "policy_bootstrap_confidence")
    public Double policyBootstrapConfidence;

    @Column(name = "policy_bootstrap_seed")
    public Long policyBootstrapSeed;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    public PromotionPolicy policy() {
        return PromotionPolicy.of(policyMetric, policyDirection, policyMinImprovement, policyMustBeatMajority,
                policyEvaluationDataset == null ? null
                        : new PromotionPolicy.PinnedSet(policyEvaluationDataset, policyEvaluationVersion),
                policyBootstrapSamples == null ? null : new PromotionPolicy.Bootstrap(policyBootstrapSamples,
                        policyBootstrapConfidence, policyBootstrapSeed));
    }

    public void setPolicy(PromotionPolicy policy) {
        policyMetric = policy.metric().wireName();
        policyDirection = policy.direction().wireName();
        policyMinImprovement = policy.minImprovement();
        policyMustBeatMajority = policy.mustBeatMajority();
        PromotionPolicy.PinnedSet set = policy.evaluationSet();
        policyEvaluationDataset = set == null ? null : set.dataset();
        policyEvaluationVersion = set == null ? null : set.version();
        PromotionPolicy.Bootstrap b = policy.bootstrap();
        policyBootstrapSamples = b == null ? null : b.samples();
        policyBootstrapConfidence = b == null ? null : b.confidence();
        policyBootstrapSeed = b == null ? null : b.seed();
    }
}
