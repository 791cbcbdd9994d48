package io.peftflow.core.safetensors;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peftflow.core.PeftCoreException;
import io.peftflow.core.nn.Kernels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A streaming safetensors reader: parses and validates the header, then reads one tensor at a time straight
 * from the file into the native memory of the NDArray that will hold it, so loading needs no more memory
 * than the weights themselves (DJL's {@code NDList.decode} buffers the whole file in a byte[]).
 */
public final class SafetensorsFile implements AutoCloseable {
    /** The reference implementation rejects headers over 100 MB; so do we, before allocating them. */
    static final long MAX_HEADER_BYTES = 100L << 20;
    private static final int CHUNK_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, FileChannel channel, long dataStart, Map<String, TensorInfo> tensors,
                            Map<String, String> metadata) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates a file; every inconsistency is a {@link PeftCoreException} naming the file. */
    public static SafetensorsFile open(Path path) {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new PeftCoreException("safetensors file not found", path, null, e);
        } catch (IOException e) {
            throw new PeftCoreException("cannot open safetensors file: " + e.getMessage(), path, null, e);
        }
        try {
            long size = ch.size();
            if (size < 8) {
                throw new PeftCoreException("truncated safetensors file: " + size + " bytes, no header length", path,
                        null);
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, path, null);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > MAX_HEADER_BYTES || headerLen > size - 8) {
                throw new PeftCoreException("corrupt safetensors header length " + Long.toUnsignedString(headerLen)
                        + " for a file of " + size + " bytes", path, null);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8, path, null);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLen;
            Map<String, String> meta = new LinkedHashMap<>();
            Map<String, TensorInfo> tensors = parseHeader(json, size - dataStart, path, meta);
            return new SafetensorsFile(path, ch, dataStart, Collections.unmodifiableMap(tensors),
                    Collections.unmodifiableMap(meta));
        } catch (IOException e) {
            closeQuietly(ch);
            throw new PeftCoreException("cannot read safetensors file: " + e.getMessage(), path, null, e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static Map<String, TensorInfo> parseHeader(String json, long dataSize, Path path,
                                                       Map<String, String> meta) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new PeftCoreException("corrupt safetensors header (not JSON): " + e.getMessage(), path,
                    null, e);
        }
        if (root == null || !root.isObject()) {
            throw new PeftCoreException("corrupt safetensors header: not a JSON object", path, null);
        }
        Map<String, TensorInfo> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if ("__metadata__".equals(name)) {
                v.fields().forEachRemaining(m -> meta.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            out.put(name, parseEntry(name, v, dataSize, path));
        }
        return out;
    }

    private static TensorInfo parseEntry(String name, JsonNode v, long dataSize, Path path) {
        JsonNode dt = v.get("dtype");
        JsonNode shapeNode = v.get("shape");
        JsonNode offs = v.get("data_offsets");
        if (dt == null || shapeNode == null || !shapeNode.isArray() || offs == null || !offs.isArray()
                || offs.size() != 2) {
            throw new PeftCoreException("corrupt safetensors header entry (needs dtype, shape, data_offsets[2])",
                    path, name);
        }
        DType dtype;
        try {
            dtype = DType.valueOf(dt.asText());
        } catch (IllegalArgumentException ex) {
            throw new PeftCoreException("unsupported safetensors dtype " + dt.asText(), path, name);
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToLong() || shapeNode.get(i).asLong() < 0) {
                throw new PeftCoreException("corrupt shape " + shapeNode, path, name);
            }
            shape[i] = shapeNode.get(i).asLong();
        }
        long begin = offs.get(0).asLong(-1);
        long end = offs.get(1).asLong(-1);
        TensorInfo info = new TensorInfo(name, dtype, shape, begin, end);
        if (begin < 0 || end < begin) {
            throw new PeftCoreException("corrupt data_offsets " + offs, path, name);
        }
        if (end > dataSize) {
            throw new PeftCoreException("truncated safetensors file: tensor ends at byte " + end
                    + " of a data section of " + dataSize + " bytes", path, name);
        }
        long expected;
        try {
            expected = Math.multiplyExact(info.numel(), dtype.bytes());
        } catch (ArithmeticException e) {
            throw new PeftCoreException("corrupt shape " + shapeNode + " overflows", path, name, e);
        }
        if (info.byteSize() != expected) {
            throw new PeftCoreException("tensor byte size " + info.byteSize() + " does not match " + info
                    + " (" + expected + " bytes)", path, name);
        }
        return info;
    }

    public Path path() {
        return path;
    }

    /** Tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} entries. */
    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new PeftCoreException("tensor missing from safetensors file", path, name);
        }
        return info;
    }

    /**
     * Loads one tensor into {@code manager} on {@code device}. Floating tensors are converted to
     * {@code floatType} (FLOAT32 or FLOAT16; BF16 is widened in Java); integer tensors keep their type.
     */
    public NDArray load(String name, NDManager manager, DataType floatType, Device device) {
        TensorInfo info = info(name);
        if (floatType != DataType.FLOAT32 && floatType != DataType.FLOAT16) {
            throw new PeftCoreException("load target must be FLOAT32 or FLOAT16, not " + floatType, path, name);
        }
        DataType target = info.dtype().isFloating() ? floatType : info.dtype().djl();
        Shape shape = new Shape(info.shape());
        if (info.dtype() == DType.BF16 || (info.dtype() == DType.F16 && target != DataType.FLOAT16)) {
            return loadHalfWords(info, manager, target, shape, device);
        }
        if (device.isGpu()) {
            // Stage through host memory one tensor at a time; only this tensor is ever doubled.
            try (NDManager host = manager.newSubManager(Device.cpu())) {
                NDArray staged = loadOnCpu(info, host, target, shape);
                NDArray moved = staged.toDevice(device, true);
                moved.attach(manager);
                return moved;
            }
        }
        return loadOnCpu(info, manager, target, shape);
    }

    /**
     * A 16-bit float tensor stored in another width than wanted: its raw words go to the device as they are (one
     * tensor on the host at a time, 2 bytes an element) and are widened or converted there, by libtorch: bf16 through
     * {@link Kernels#fromBf16Bits} (DJL cannot hold bf16 arrays), so a bf16 checkpoint loads to fp16 on a GPU without
     * a wider copy on the host and without a per-element conversion in Java.
     */
    private NDArray loadHalfWords(TensorInfo info, NDManager manager, DataType target, Shape shape, Device device) {
        boolean bf16 = info.dtype() == DType.BF16;
        try (NDManager host = manager.newSubManager(Device.cpu())) {
            // bf16 words go in pairs into int32s (the odd one out, if any, is padded with zero)
            NDArray words = bf16 ? host.zeros(new Shape((info.numel() + 1) / 2), DataType.INT32)
                    : host.create(shape, DataType.FLOAT16, Device.cpu());
            if (info.numel() > 0) {
                ByteBuffer dst = words.toByteBuffer(true);
                dst.limit(Math.toIntExact(info.byteSize()));
                try {
                    readFully(channel, dst, dataStart + info.begin(), path, info.name());
                } catch (IOException e) {
                    throw new PeftCoreException("cannot read tensor: " + e.getMessage(), path, info.name(), e);
                }
            }
            NDArray there = device.isGpu() ? words.toDevice(device, false) : words;
            if (!bf16) {
                NDArray out = there.toType(target, false);
                out.attach(manager);
                return out;
            }
            NDList decoded = Kernels.fromBf16Bits(there, target);
            if (target == DataType.FLOAT16) {
                checkHalfRange(decoded.get(1).getFloat(), info);
            }
            NDArray out = decoded.get(0).get(new NDIndex("0:{}", info.numel())).reshape(shape);
            out.attach(manager);
            return out;
        }
    }

    /**
     * bf16 and fp32 reach far beyond fp16's largest value: a weight that would turn into infinity is refused rather
     * than loaded (what to do instead is in the message and in docs/BENCHMARKS.md, 7B).
     */
    private void checkHalfRange(float magnitude, TensorInfo info) {
        if (Math.abs(magnitude) > HalfFloats.MAX_HALF) {
            throw new PeftCoreException("holds a value of magnitude " + Math.abs(magnitude) + ", beyond float16's "
                    + HalfFloats.MAX_HALF + ": load this checkpoint in FLOAT32 (new LoadOptions(device, FLOAT32), "
                    + "twice the memory) instead of FLOAT16", path, info.name());
        }
    }

    private NDArray loadOnCpu(TensorInfo info, NDManager manager, DataType target, Shape shape) {
        NDArray arr = manager.create(shape, target, Device.cpu());
        if (info.numel() == 0) {
            return arr;
        }
        // A direct view of the tensor's own storage: the file is read into it with no intermediate copy.
        ByteBuffer dst = arr.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (info.dtype().djl() == target) {
                readFully(channel, dst, dataStart + info.begin(), path, info.name());
            } else {
                convertInto(info, dst, target);
            }
        } catch (IOException e) {
            arr.close();
            throw new PeftCoreException("cannot read tensor: " + e.getMessage(), path, info.name(), e);
        }
        return arr;
    }

    private void convertInto(TensorInfo info, ByteBuffer dst, DataType target) throws IOException {
        int inBytes = info.dtype().bytes();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES - CHUNK_BYTES % inBytes).order(ByteOrder.LITTLE_ENDIAN);
        long pos = dataStart + info.begin();
        long remaining = info.byteSize();
        while (remaining > 0) {
            chunk.clear().limit((int) Math.min(chunk.capacity(), remaining));
            readFully(channel, chunk, pos, path, info.name());
            pos += chunk.limit();
            remaining -= chunk.limit();
            chunk.flip();
            while (chunk.hasRemaining()) {
                float f = readAsFloat(chunk, info.dtype());
                if (target == DataType.FLOAT16) {
                    if (Math.abs(f) > HalfFloats.MAX_HALF && Float.isFinite(f)) {
                        checkHalfRange(f, info);
                    }
                    dst.putShort(HalfFloats.floatToF16(f));
                } else {
                    dst.putFloat(f);
                }
            }
        }
    }

    private static float readAsFloat(ByteBuffer b, DType dtype) {
        return switch (dtype) {
            case F32 -> b.getFloat();
            case F16 -> HalfFloats.f16ToFloat(b.getShort());
            case BF16 -> HalfFloats.bf16ToFloat(b.getShort());
            case F64 -> (float) b.getDouble();
            default -> throw new IllegalStateException("not floating: " + dtype);
        };
    }

    /** Reads a tensor into a Java float[] (any floating dtype); for small tensors and tests. */
    public float[] readFloats(String name) {
        TensorInfo info = info(name);
        if (!info.dtype().isFloating()) {
            throw new PeftCoreException("tensor is " + info.dtype() + ", not floating", path, name);
        }
        ByteBuffer buf = readBytes(info);
        float[] out = new float[Math.toIntExact(info.numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = readAsFloat(buf, info.dtype());
        }
        return out;
    }

    /** Reads an integer tensor (I64/I32/I8/U8) into a long[]. */
    public long[] readLongs(String name) {
        TensorInfo info = info(name);
        ByteBuffer buf = readBytes(info);
        long[] out = new long[Math.toIntExact(info.numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (info.dtype()) {
                case I64 -> buf.getLong();
                case I32 -> buf.getInt();
                case I8 -> buf.get();
                case U8, BOOL -> buf.get() & 0xff;
                default -> throw new PeftCoreException("tensor is " + info.dtype() + ", not integer", path, name);
            };
        }
        return out;
    }

    private ByteBuffer readBytes(TensorInfo info) {
        ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(info.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        try {
            readFully(channel, buf, dataStart + info.begin(), path, info.name());
        } catch (IOException e) {
            throw new PeftCoreException("cannot read tensor: " + e.getMessage(), path, info.name(), e);
        }
        return buf.flip();
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long pos, Path path, String tensor)
            throws IOException {
        long p = pos;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, p);
            if (n < 0) {
                // The file shrank after the header was validated.
                throw new PeftCoreException("unexpected end of file at byte " + p, path, tensor);
            }
            p += n;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing with a more useful error
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
