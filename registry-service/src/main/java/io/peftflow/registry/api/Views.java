package io.peftflow.registry.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.peftflow.registry.catalog.Adapter;
import io.peftflow.registry.catalog.AdapterAlias;
import io.peftflow.registry.catalog.AdapterListing;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.catalog.AliasMove;
import io.peftflow.registry.catalog.VersionLineage;
import io.peftflow.registry.catalog.VersionTag;
import io.peftflow.registry.promotion.PromotionPolicy;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON bodies of the API. */
final class Views {
    private Views() {
    }

    record DatasetRef(String name, Integer version) {
    }

    /** An adapter in a listing: its headline version (the champion, else the latest ready one). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AdapterSummary(String name, int latestVersion, Integer champion, Integer version, String status,
                          String method, String baseModel, DatasetRef dataset, Map<String, Double> metrics,
                          OffsetDateTime createdAt) {
        static AdapterSummary of(AdapterListing.Row r) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (r.version() != null) {
                metrics.put("exact_match", r.exactMatch());
                metrics.put("macro_exact_match", r.macroExactMatch());
                metrics.put("eval_loss", r.evalLoss());
                metrics.put("perplexity", r.perplexity());
                metrics.put("token_accuracy", r.tokenAccuracy());
            }
            return new AdapterSummary(r.name(), r.latestVersion(), r.champion(), r.version(), r.status(), r.method(),
                    r.baseModel(), r.dataset() == null ? null : new DatasetRef(r.dataset(), r.datasetVersion()),
                    metrics.isEmpty() ? null : metrics, r.createdAt());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PolicyView(String metric, String direction, double minImprovement, boolean mustBeatMajority,
                      PromotionPolicy.PinnedSet evaluationSet, PromotionPolicy.Bootstrap bootstrap) {
        static PolicyView of(PromotionPolicy p) {
            return new PolicyView(p.metric().wireName(), p.direction().wireName(), p.minImprovement(),
                    p.mustBeatMajority(), p.evaluationSet(), p.bootstrap());
        }
    }

    record AdapterDetail(String name, int latestVersion, Map<String, Integer> aliases, PolicyView policy,
                         OffsetDateTime createdAt) {
        static AdapterDetail of(Adapter a, List<AdapterAlias> aliases) {
            Map<String, Integer> byName = new LinkedHashMap<>();
            aliases.forEach(al -> byName.put(al.alias, al.version));
            return new AdapterDetail(a.name, a.lastVersion, byName, PolicyView.of(a.policy()), a.createdAt);
        }
    }

    /**
     * Where a version came from. {@code parent} is the warm start's (kept for clients before {@code parents});
     * {@code parents} lists every version it was trained from, each with its relation.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Lineage(String jobId, DatasetLineage dataset, BaseModel baseModel, Method method,
                   Map<String, Object> training, Long seed, Map<String, Object> libraries, Parent parent,
                   List<Parent> parents) {
        static Lineage of(VersionLineage l) {
            if (l == null) {
                return null;
            }
            Parent warm = l.parentVersion == null ? null
                    : new Parent(l.parentAdapter, l.parentVersion, Parent.WARM_START);
            List<Parent> parents = new ArrayList<>();
            if (warm != null) {
                parents.add(warm);
            }
            layers(l).forEach(s -> parents.add(new Parent(s.adapter(), s.version(), Parent.STACKED_ON)));
            return new Lineage(l.jobId, new DatasetLineage(l.datasetName, l.datasetVersion, l.trainSha256,
                    l.validationSha256), new BaseModel(l.baseModelId, l.baseWeightsSha256),
                    new Method(l.methodName, l.methodConfig), l.training, l.seed, l.libraries, warm, parents);
        }
    }

    static List<VersionLineage.Layer> layers(VersionLineage l) {
        return l == null || l.stackedOn == null ? List.of() : l.stackedOn;
    }

    /**
     * A version another was trained from: {@code warm_start} (its weights were the starting point) or
     * {@code stacked_on} (a frozen layer beneath it, served with it).
     */
    record Parent(String adapter, int version, String relation) {
        static final String WARM_START = "warm_start";
        static final String STACKED_ON = "stacked_on";
    }

    record DatasetLineage(String name, Integer version, String trainSha256, String validationSha256) {
    }

    record BaseModel(String id, String weightsSha256) {
    }

    record Method(String name, Map<String, Object> config) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionView(String adapter, int version, String status, List<String> aliases, String method,
                       String baseModel, DatasetRef dataset, Long trainableParameters, Integer steps, Long sizeBytes,
                       Map<String, Object> metrics, String promotion, Map<String, Object> decision,
                       String failureReason, List<Map<String, Object>> files, Lineage lineage, Map<String, String> tags,
                       OffsetDateTime createdAt, OffsetDateTime readyAt, OffsetDateTime archivedAt,
                       OffsetDateTime datasetDeletedAt, List<VersionLineage.Layer> stackedOn) {
        static VersionView of(String adapter, AdapterVersion v, List<AdapterAlias> aliases, VersionLineage lineage,
                              List<VersionTag> tags) {
            Map<String, String> tagMap = new LinkedHashMap<>();
            tags.forEach(t -> tagMap.put(t.key, t.value));
            return new VersionView(adapter, v.version, v.status.wireName(),
                    aliases.stream().filter(a -> a.version == v.version).map(a -> a.alias).toList(), v.method,
                    v.baseModel, v.datasetName == null ? null : new DatasetRef(v.datasetName, v.datasetVersion),
                    v.trainableParameters, v.steps, v.sizeBytes, v.metrics, v.promotionReason, v.decision,
                    v.failureReason, v.files, Lineage.of(lineage), tagMap, v.createdAt, v.readyAt, v.archivedAt, v.datasetDeletedAt,
                    layers(lineage));
        }
    }

    /** A version in the versions listing: no lineage, no files. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record VersionSummary(int version, String status, String jobId, String method, String baseModel,
                          DatasetRef dataset, Map<String, Object> metrics, String promotion,
                          Map<String, Object> decision, String failureReason, OffsetDateTime createdAt) {
        static VersionSummary of(AdapterVersion v) {
            return new VersionSummary(v.version, v.status.wireName(), v.jobId, v.method, v.baseModel,
                    v.datasetName == null ? null : new DatasetRef(v.datasetName, v.datasetVersion), v.metrics,
                    v.promotionReason, v.decision, v.failureReason, v.createdAt);
        }
    }

    record AliasView(String alias, Integer version, List<Move> history) {
    }

    record Move(Integer from, Integer to, String actor, String reason, OffsetDateTime movedAt) {
        static Move of(AliasMove m) {
            return new Move(m.fromVersion, m.toVersion, m.actor, m.reason, m.movedAt);
        }
    }

    /**
     * The differences between two versions. {@code metrics} are each version's own run (its own validation split);
     * {@code sameSet}, when one version's promotion decision measured the other, is that like-for-like measurement.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Comparison(String adapter, VersionSummary a, VersionSummary b, Map<String, Delta> metrics,
                      Map<String, Object> sameSet, List<Difference> config, List<Difference> lineage,
                      Chains chains) {
    }

    /** Each version and the versions it was warm-started from, newest first. */
    record Chains(List<Integer> a, List<Integer> b) {
    }

    /** {@code delta} = b - a. */
    record Delta(Double a, Double b, Double delta) {
    }

    record Difference(String field, Object a, Object b) {
    }
}
