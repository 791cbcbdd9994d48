package io.peftflow.core.nn;

import io.peftflow.core.PeftCoreException;

/**
 * A CUDA graph of the libtorch work a piece of Java code queues (libtorch's {@code at::cuda::CUDAGraph} through the
 * project's library, {@code train_graphs.cu} in {@link NativeTrainKernels#library()}): captured once, then replayed by
 * one launch. Why: a training step is ~1,200 kernels whose issue by the host (DJL, TorchScript's interpreter) leaves
 * the GPU waiting ~6 ms of a 49 ms TinyLlama step on an H100 (docs/BENCHMARKS.md, issue 25).
 *
 * <p>What a capture records is replayed as it was: the same device addresses and the constants of that call. Code
 * captured must therefore read everything that changes between replays from tensors alive for the graph's whole life
 * (updated in place before each replay), must not read device values on the host, and runs nothing while captured:
 * the first execution is the first {@link #replay}.
 */
public final class CudaGraph implements AutoCloseable {
    private static final ThreadLocal<Boolean> CAPTURING = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private long handle;

    private CudaGraph(long handle) {
        this.handle = handle;
    }

    /** Whether this thread is inside a {@link #capture}'s body (code that costs the host per call is then free). */
    public static boolean capturing() {
        return CAPTURING.get();
    }

    /** Whether the library is configured ({@link NativeTrainKernels#library()}; it throws where it fails to load). */
    public static boolean available() {
        return NativeTrainKernels.library() != null;
    }

    /**
     * Captures what {@code body} queues into a new graph whose allocations come from the memory pool of
     * {@code shareWith}'s (null: a pool of its own); the body runs on the host only. The capture records a side stream
     * (one of libtorch's pool streams, this thread's current stream meanwhile, after the device finished its queued
     * work: the legacy default stream cannot be captured); replays run on the current stream. When the body or the
     * capture fails, the capture is ended and the error rethrown, naming both.
     */
    public static CudaGraph capture(CudaGraph shareWith, Runnable body) {
        long[] created = new long[1];
        try {
            check("creating a CUDA graph", create(created));
        } catch (UnsatisfiedLinkError e) {
            throw new PeftCoreException("the training library " + NativeTrainKernels.library()
                    + " has no CUDA graphs (built before train_graphs.cu): rebuild it with src/main/cuda/build.sh", e);
        }
        CudaGraph graph = new CudaGraph(created[0]);
        try {
            check("entering a side stream", enterSideStream());
            check("beginning a capture", captureBegin(graph.handle, shareWith == null ? 0 : shareWith.handle));
            CAPTURING.set(Boolean.TRUE);
            try {
                body.run();
            } catch (RuntimeException e) {
                String end = captureEnd(graph.handle);
                throw new PeftCoreException("the step could not be captured into a CUDA graph: " + e.getMessage()
                        + (end == null ? "" : " (ending the capture: " + end + ")"), null, null, e);
            } finally {
                CAPTURING.set(Boolean.FALSE);
            }
            check("ending the capture", captureEnd(graph.handle));
        } catch (RuntimeException e) {
            leaveSideStream(); // its own failure would hide the cause
            graph.close();
            throw e;
        }
        check("leaving the side stream", leaveSideStream());
        return graph;
    }

    /** Queues the captured work on this thread's current stream. */
    public void replay() {
        if (handle == 0) {
            throw new IllegalStateException("CUDA graph already closed");
        }
        check("replaying a CUDA graph", replay(handle));
    }

    @Override
    public void close() {
        if (handle != 0) {
            String error = destroy(handle);
            handle = 0;
            check("destroying a CUDA graph", error);
        }
    }

    private static void check(String what, String error) {
        if (error != null) {
            throw new PeftCoreException(what + " (" + NativeTrainKernels.library() + ") failed: " + error);
        }
    }

    /** Waits for the device, then makes this thread's side stream its current stream. */
    private static native String enterSideStream();

    /** Waits for the current stream, then makes the default stream current again. */
    private static native String leaveSideStream();

    private static native String create(long[] handle);

    private static native String captureBegin(long graph, long shareWith);

    private static native String captureEnd(long graph);

    private static native String replay(long graph);

    private static native String destroy(long graph);
}
