package io.peftflow.trainer.worker.engine;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The diagnosis of an engine that does not load, from mountinfo text and the failure's messages (pure logic). */
class EngineCheckTest {
    private static final MountTable MOUNTS = MountTable.parse("""
            26 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda rw
            44 26 0:39 / /var/cache/peftflow rw,nosuid,nodev,noexec,relatime shared:5 - tmpfs tmpfs rw,size=1048576k
            45 26 0:40 / /work/my\\040cache rw,relatime - tmpfs tmpfs rw
            46 44 0:41 / /var/cache/peftflow/exec rw,relatime master:2 - tmpfs tmpfs rw
            """);

    @Test
    void theDeepestMountHoldsAPath() {
        assertEquals(Path.of("/var/cache/peftflow"), MOUNTS.mountOf(Path.of("/var/cache/peftflow/djl/pytorch")).orElseThrow().mountPoint());
        assertTrue(MOUNTS.mountOf(Path.of("/var/cache/peftflow/djl")).orElseThrow().noexec());
        assertFalse(MOUNTS.mountOf(Path.of("/var/cache/peftflow/exec/djl")).orElseThrow().noexec());
        assertEquals(Path.of("/"), MOUNTS.mountOf(Path.of("/var/cache/peftflowx")).orElseThrow().mountPoint());
        assertEquals("tmpfs", MOUNTS.mountOf(Path.of("/work/my cache/djl")).orElseThrow().fsType(), "\\040 is a space");
    }

    @Test
    void aNoexecCacheIsNamedWithItsMount() {
        String line = EngineCheck.diagnose(Path.of("/var/cache/peftflow/djl"), new IllegalStateException(
                "Failed to load PyTorch native library", new UnsatisfiedLinkError(
                "/var/cache/peftflow/djl/pytorch/libtorch_cpu.so: failed to map segment from shared object")), MOUNTS);
        assertTrue(line.startsWith("the PyTorch engine cannot run in DJL cache directory /var/cache/peftflow/djl: it is on "
                + "a noexec mount (tmpfs at /var/cache/peftflow)"), line);
        assertTrue(line.endsWith("[IllegalStateException: Failed to load PyTorch native library <- UnsatisfiedLinkError: "
                + "/var/cache/peftflow/djl/pytorch/libtorch_cpu.so: failed to map segment from shared object]"), line);
        assertFalse(line.contains("\n"));
    }

    @Test
    void aNoexecCacheFailsBeforeLoading() {
        String line = EngineCheck.diagnose(Path.of("/var/cache/peftflow/djl"), null, MOUNTS);
        assertTrue(line.endsWith("so the native libraries DJL unpacks there cannot be mapped: mount it with exec "
                + "(a Kubernetes emptyDir, or a tmpfs with the exec option)"), line);
    }

    @Test
    void aMissingLibraryIsNamed() {
        String line = EngineCheck.diagnose(Path.of("/var/cache/peftflow/exec/djl"), new UnsatisfiedLinkError(
                "/x/libtorch_cpu.so: libgomp.so.1: cannot open shared object file: No such file or directory"), MOUNTS);
        assertTrue(line.contains("a native library it needs is missing from the image (libgomp.so.1)"), line);
    }

    @Test
    void aCudaFailureIsCalledADriverMismatch() {
        String line = EngineCheck.diagnose(Path.of("/var/cache/peftflow/exec/djl"), new IllegalStateException(
                "CUDA driver version is insufficient for CUDA runtime version"), MOUNTS);
        assertTrue(line.contains("CUDA or driver mismatch"), line);
    }
}
