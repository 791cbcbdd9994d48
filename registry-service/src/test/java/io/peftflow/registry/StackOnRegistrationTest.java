package io.peftflow.registry;

import io.peftflow.events.adapter.AdapterVersionArchived;
import io.peftflow.events.training.JobSucceeded;
import io.peftflow.kit.storage.ObjectStore;
import io.peftflow.registry.catalog.AdapterVersion;
import io.peftflow.registry.registration.RegistrationService;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stack_on} at registration: a version trained on top of frozen versions records them in its lineage
 * ({@code stacked_on} parents) and in {@code stackedOn}, what it is served on; a stack of another base model, an
 * unregistered layer, a layer of the adapter itself or a layer without its own stack beneath it fails registration
 * naming the layer; a version others are stacked on cannot be archived, and an archive is announced.
 */
@QuarkusTest
class StackOnRegistrationTest {
    private static final String TENANT = "stack";
    /** A base model with the tiny one's config under another name: the adapter fits it, the stack's base differs. */
    private static final String TWIN = "tiny-llama-twin";

    @Inject
    ObjectStore store;
    @Inject
    RegistrationService registrations;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private JobSucceeded job(String adapter, String base, List<JobSucceeded.Parent> stack) {
        String jobId = "job-" + UUID.randomUUID();
        TrainedAdapter.publishFiles(store, TENANT, jobId);
        // below the majority class: not champion, so archiving is refused only for the stack
        return TrainedAdapter.stackedOn(TrainedAdapter.succeeded(TENANT, adapter, jobId, base,
                TrainedAdapter.metrics(0.3, 0.5)), stack);
    }

    private String failure(JobSucceeded job) {
        AdapterVersion v = registrations.register(job);
        assertEquals("FAILED_REGISTRATION", v.status.name(), job.adapterName());
        return v.failureReason;
    }

    @Test
    void aStackedVersionRecordsItsStackAndBadStacksFailRegistration() throws Exception {
        String lang = RegistrationTest.unique("lang");
        String domain = RegistrationTest.unique("domain");
        JobSucceeded langJob = job(lang, TrainedAdapter.BASE, List.of());
        assertEquals(1, registrations.register(langJob).version);
        JobSucceeded.Parent langV1 = new JobSucceeded.Parent(lang, 1, langJob.jobId());
        AdapterVersion d = registrations.register(job(domain, TrainedAdapter.BASE, List.of(langV1)));
        assertEquals("READY", d.status.name());
        given().header("X-Tenant", TENANT).get("/adapters/" + domain + "/versions/1").then().statusCode(200)
                .body("stackedOn[0].adapter", is(lang)).body("stackedOn[0].version", is(1))
                .body("lineage.parents[0].relation", is("stacked_on")).body("lineage.parents[0].adapter", is(lang));
        JobSucceeded.Parent domainV1 = new JobSucceeded.Parent(domain, 1, d.jobId);

        store.put(TrainedAdapter.MODELS_BUCKET, TWIN + "/config.json",
                Files.readAllBytes(TrainedAdapter.run().resolve("base/config.json")), "application/json");
        String other = RegistrationTest.unique("other");
        assertTrue(failure(job(other, TWIN, List.of(langV1))).contains("stacked on " + lang + " v1 of base model '"
                + TrainedAdapter.BASE + "', this adapter's base model is '" + TWIN + "'"));
        assertTrue(failure(job(other, TrainedAdapter.BASE, List.of(new JobSucceeded.Parent(lang, 9, "j"))))
                .contains("stacked on " + lang + " v9, which is not registered"));
        assertTrue(failure(job(domain, TrainedAdapter.BASE, List.of(langV1, domainV1))).contains("a version of itself"));
        assertTrue(failure(job(other, TrainedAdapter.BASE, List.of(domainV1)))
                .contains("must have exactly that stack beneath it"));
        assertEquals("READY", registrations.register(job(other, TrainedAdapter.BASE, List.of(langV1, domainV1)))
                .status.name(), "a layer with its own stack beneath it");
        given().header("X-Tenant", TENANT).get("/adapters/" + other + "/compare?a=3&b=4").then().statusCode(200)
                .body("lineage.field", hasItem("stackedOn"));

        String archive = "/adapters/" + lang + "/versions/1";
        given().header("X-Tenant", TENANT).delete(archive).then().statusCode(409)
                .body("detail", containsString("stacked beneath [" + domain + " v1"));
        for (String above : List.of("/adapters/" + other + "/versions/4", "/adapters/" + domain + "/versions/1")) {
            given().header("X-Tenant", TENANT).delete(above).then().statusCode(204);
        }
        given().header("X-Tenant", TENANT).delete(archive).then().statusCode(204);
        AdapterVersionArchived archived = (AdapterVersionArchived) AdapterEventsOnKafka.await(bootstrap, TENANT, lang, 1,
                e -> e instanceof AdapterVersionArchived, Duration.ofSeconds(30)).get(0);
        assertEquals(1, archived.version());
        assertTrue(failure(job(RegistrationTest.unique("late"), TrainedAdapter.BASE, List.of(langV1)))
                .contains("which is archived"));
    }
}
