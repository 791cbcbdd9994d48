package io.peftflow.registry.registration;

import io.peftflow.events.training.JobSucceeded;
import io.peftflow.registry.catalog.AdapterRepository;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.catalog.VersionLineage;
import io.peftflow.registry.catalog.VersionRepository;
import io.peftflow.registry.catalog.VersionStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Objects;

/**
 * The registration-time check of an adapter trained on top of frozen versions ({@code stack_on}): every layer is a
 * ready version of one of the tenant's adapters, on the adapter's own base model, never a version of the adapter
 * itself, and with its own stack directly beneath it. Serving the version as its recorded stack is then exactly
 * what it was trained on.
 */
@ApplicationScoped
public class StackCheck {
    private final AdapterRepository adapters;
    private final VersionRepository versions;

    public StackCheck(AdapterRepository adapters, VersionRepository versions) {
        this.adapters = adapters;
        this.versions = versions;
    }

    /** The stack as the lineage records it (empty for a bare-base adapter). */
    public static List<VersionLineage.Layer> of(JobSucceeded job) {
        return job.lineage() == null ? List.of() : job.lineage().stackedOn().stream()
                .map(p -> new VersionLineage.Layer(p.adapter(), p.version())).toList();
    }

    /**
     * Passes, or throws {@link RegistrationRejected} naming the layer that does not fit. Each layer's adapter row is
     * locked until the transaction ends, so an archive of a layer (which locks it too) waits for the version to be
     * ready and is then refused, or goes first and this check sees it archived. A refusal leaves the caller's
     * transaction committable: it records the failed registration.
     */
    @Transactional(dontRollbackOn = RegistrationRejected.class)
    public void check(JobSucceeded job, String baseModel) {
        List<VersionLineage.Layer> stack = of(job);
        for (int i = 0; i < stack.size(); i++) {
            VersionLineage.Layer layer = stack.get(i);
            if (layer.adapter().equals(job.adapterName())) {
                throw new RegistrationRejected("stacked on " + layer + ", a version of itself: a stack holds each"
                        + " adapter once");
            }
            AdapterVersion v = adapters.lock(job.tenant(), layer.adapter())
                    .flatMap(a -> versions.findVisible(a, layer.version()))
                    .orElseThrow(() -> new RegistrationRejected("stacked on " + layer + ", which is not registered"));
            if (v.status != VersionStatus.READY) {
                throw new RegistrationRejected("stacked on " + layer + ", which is " + v.status.wireName()
                        + " and not served");
            }
            if (!Objects.equals(v.baseModel, baseModel)) {
                throw new RegistrationRejected("stacked on " + layer + " of base model '" + v.baseModel
                        + "', this adapter's base model is '" + baseModel + "': a stack shares one base model");
            }
            VersionLineage own = VersionLineage.findById(v.id);
            List<VersionLineage.Layer> beneath = own == null || own.stackedOn == null ? List.of() : own.stackedOn;
            if (!beneath.equals(stack.subList(0, i))) {
                throw new RegistrationRejected("stacked on " + layer + ", which was trained on " + beneath
                        + " and must have exactly that stack beneath it, got " + stack.subList(0, i));
            }
        }
    }
}
