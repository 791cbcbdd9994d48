package io.peftflow.trainer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while a request is being processed (the packaged service, as Kubernetes stops a pod): the request is
 * answered — {@code quarkus.shutdown.timeout} (service-kit's defaults) lets it finish — and then the process ends.
 * The request is held in the middle of its work by freezing the local stack's object store (SIGSTOP), which its
 * validation asks whether the base model exists.
 */
class GracefulShutdownIT {
    private final WorkerJvms jvms = new WorkerJvms("shutdown");

    @AfterEach
    void stop() throws Exception {
        TestStack.signal("s3proxy", "CONT");
        jvms.close();
    }

    @Test
    void aRequestInProgressAtSigtermIsAnswered() throws Exception {
        int port = WorkerJvms.freePort();
        Process service = jvms.start("shutdown-it", "api", port, null);
        jvms.awaitReady(port, service);
        TestStack.signal("s3proxy", "STOP");
        CompletableFuture<HttpResponse<String>> inProgress = CompletableFuture.supplyAsync(() -> {
            try {
                return jvms.send(port, "POST", "/fine-tuning/jobs", """
                        {"dataset": "no-such-dataset", "model": "tiny-llama", "method": {"type": "lora"}}""");
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        Thread.sleep(1000); // the request waits for the object store
        assertTrue(!inProgress.isDone(), "the request is in progress");

        service.destroy(); // SIGTERM
        // Quarkus logs this once the shutdown has begun and it waits for the requests in progress.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(WorkerJvms.log("shutdown-it").toPath()).contains("Waiting for HTTP requests to complete")) {
            assertTrue(System.nanoTime() < deadline, "no graceful shutdown 60 s after SIGTERM");
            Thread.sleep(100);
        }
        assertTrue(service.isAlive(), "the service waits for the request in progress");

        TestStack.signal("s3proxy", "CONT");
        HttpResponse<String> answer = inProgress.get(30, TimeUnit.SECONDS);
        assertEquals(422, answer.statusCode(), "the request in progress got its answer: " + answer.body());
        assertTrue(service.waitFor(30, TimeUnit.SECONDS), "the service ends once the request is answered");
    }
}
