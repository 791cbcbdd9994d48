package io.peftflow.registry.catalog;

import io.peftflow.events.adapter.AdapterPromoted;
import io.peftflow.registry.events.AdapterEvents;
import io.peftflow.registry.promotion.Metric;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * Moves aliases with their history. A move of {@code champion} is a promotion: it announces {@code adapter.promoted}
 * in the same transaction and makes the new champion the adapter's headline. Callers hold the adapter's row lock.
 */
@ApplicationScoped
public class AliasService {
    private final AdapterEvents events;
    private final VersionRepository versions;

    public AliasService(AdapterEvents events, VersionRepository versions) {
        this.events = events;
        this.versions = versions;
    }

    public Optional<AdapterAlias> find(Adapter adapter, String alias) {
        return AdapterAlias.find("adapterId = ?1 and alias = ?2", adapter.id, alias).firstResultOptional();
    }

    public List<AdapterAlias> all(Adapter adapter) {
        return AdapterAlias.list("adapterId = ?1 order by alias", adapter.id);
    }

    /** Every move of the alias, oldest first. */
    public List<AliasMove> history(Adapter adapter, String alias) {
        return AliasMove.list("adapterId = ?1 and alias = ?2 order by id", adapter.id, alias);
    }

    /** Points {@code alias} at {@code to}; a no-op (no history) when it already does. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void move(Adapter adapter, String alias, AdapterVersion to, String actor, String reason) {
        AdapterAlias row = find(adapter, alias).orElse(null);
        Integer from = row == null ? null : row.version;
        if (from != null && from == to.version) {
            return;
        }
        if (row == null) {
            row = new AdapterAlias();
            row.adapterId = adapter.id;
            row.alias = alias;
        }
        row.version = to.version;
        row.updatedAt = OffsetDateTime.now();
        row.persist();
        AliasMove move = record(adapter, alias, from, to.version, actor, reason);
        if (AdapterAlias.CHAMPION.equals(alias)) {
            adapter.headlineVersionId = to.id;
            Metric metric = adapter.policy().metric();
            Double fromValue = from == null ? null : versions.findVisible(adapter, from)
                    .map(v -> metric.of(v.tuned())).orElse(null);
            Double toValue = metric.of(to.tuned());
            // A policy promotion's numbers are the like-for-like ones its decision was made on.
            if (to.decision != null && from != null && from.equals(to.decision.get("championVersion"))) {
                fromValue = ((Number) to.decision.get("champion")).doubleValue();
                toValue = ((Number) to.decision.get("challenger")).doubleValue();
            }
            events.announce(new AdapterPromoted(adapter.tenant, adapter.name, move.id, from, to.version,
                    metric.wireName(), fromValue, toValue, AliasMove.API.equals(actor), reason, move.movedAt));
        }
    }

    /** Removes {@code alias}; without a champion the latest ready version becomes the headline. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean delete(Adapter adapter, String alias, String reason) {
        Optional<AdapterAlias> row = find(adapter, alias);
        if (row.isEmpty()) {
            return false;
        }
        record(adapter, alias, row.get().version, null, AliasMove.API, reason);
        row.get().delete();
        if (AdapterAlias.CHAMPION.equals(alias)) {
            adapter.headlineVersionId = versions.latestReady(adapter).map(v -> v.id).orElse(null);
        }
        return true;
    }

    private static AliasMove record(Adapter adapter, String alias, Integer from, Integer to, String actor,
                                    String reason) {
        AliasMove move = new AliasMove();
        move.adapterId = adapter.id;
        move.alias = alias;
        move.fromVersion = from;
        move.toVersion = to;
        move.actor = actor;
        move.reason = reason;
        move.movedAt = OffsetDateTime.now();
        move.persist();
        return move;
    }
}
