package io.peftflow.trainer.jobs;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every transition of every kind of job, tried on a job brought to its start state through allowed moves: the
 * allowed ones (written out here, independently of {@link JobTransitions}' table) pass, every other one throws and
 * leaves the status as it was.
 */
class JobTransitionsTest {
    private static final Set<String> TRAINING = Set.of(
            "validating_files>queued", "validating_files>failed", "validating_files>cancelled",
            "queued>running", "queued>failed", "queued>cancelled",
            "running>running", "running>cancel_requested", "running>trained", "running>failed", "running>cancelled",
            "cancel_requested>cancel_requested", "cancel_requested>cancelled", "cancel_requested>failed",
            "trained>trained", "trained>succeeded", "trained>failed",
            "validating_files>validating_files", "queued>queued");
    private static final Set<String> EVALUATION = Set.of(
            "queued>queued", "queued>running", "queued>failed", "queued>cancelled",
            "running>running", "running>cancel_requested", "running>succeeded", "running>failed", "running>cancelled",
            "cancel_requested>cancel_requested", "cancel_requested>cancelled", "cancel_requested>failed");

    @Test
    void everyTransitionOfATrainingJob() {
        assertTable(JobKind.TRAINING, TRAINING, Set.of(JobStatus.VALIDATING_FILES, JobStatus.QUEUED));
    }

    @Test
    void everyTransitionOfAnEvaluationJob() {
        assertTable(JobKind.EVALUATION, EVALUATION, Set.of(JobStatus.QUEUED));
    }

    private static void assertTable(JobKind kind, Set<String> allowed, Set<JobStatus> initial) {
        for (JobStatus s : JobStatus.values()) {
            FineTuningJob j = job(kind);
            if (initial.contains(s)) {
                j.moveTo(s);
                assertEquals(s, j.status());
            } else {
                assertThrows(JobTransitions.IllegalTransition.class, () -> j.moveTo(s), "start in " + s.wire());
            }
        }
        Map<JobStatus, List<JobStatus>> paths = reachable(kind, initial);
        int tried = 0;
        for (JobStatus from : JobStatus.values()) {
            List<JobStatus> path = paths.get(from);
            if (path == null) {
                continue; // a state this kind of job never reaches (an evaluation job is never trained)
            }
            for (JobStatus to : JobStatus.values()) {
                FineTuningJob j = job(kind);
                path.forEach(j::moveTo);
                String move = from.wire() + ">" + to.wire();
                if (allowed.contains(move)) {
                    j.moveTo(to);
                    assertEquals(to, j.status(), move);
                } else {
                    assertThrows(JobTransitions.IllegalTransition.class, () -> j.moveTo(to), move);
                    assertEquals(from, j.status(), move + " left the status alone");
                }
                tried++;
            }
        }
        assertTrue(paths.keySet().containsAll(Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED)),
                "every final state is reachable: " + paths.keySet());
        assertEquals(paths.size() * JobStatus.values().length, tried);
    }

    /** A shortest path of allowed moves to each state a job of {@code kind} can reach. */
    private static Map<JobStatus, List<JobStatus>> reachable(JobKind kind, Set<JobStatus> initial) {
        Map<JobStatus, List<JobStatus>> paths = new EnumMap<>(JobStatus.class);
        Deque<JobStatus> queue = new ArrayDeque<>();
        for (JobStatus s : initial) {
            paths.put(s, List.of(s));
            queue.add(s);
        }
        while (!queue.isEmpty()) {
            JobStatus from = queue.poll();
            for (JobStatus to : JobStatus.values()) {
                if (!paths.containsKey(to) && JobTransitions.allowed(kind, from, to)) {
                    List<JobStatus> path = new ArrayList<>(paths.get(from));
                    path.add(to);
                    paths.put(to, path);
                    queue.add(to);
                }
            }
        }
        return paths;
    }

    private static FineTuningJob job(JobKind kind) {
        FineTuningJob j = new FineTuningJob();
        j.id = "ftjob-test";
        j.kind = kind;
        return j;
    }
}
