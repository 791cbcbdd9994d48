package io.peftflow.events.training;

import io.peftflow.events.EventIds;

/**
 * The id trainer-service gives the job of a request: the same on every redelivery, and known to the requester
 * before the job exists (registry-service matches an evaluation job's events to its request by it).
 */
public final class JobIds {
    private JobIds() {
    }

    public static String of(String tenant, String requestId) {
        return "ftjob-" + EventIds.of("fine-tuning-job", tenant, requestId).replace("-", "").substring(0, 24);
    }
}
