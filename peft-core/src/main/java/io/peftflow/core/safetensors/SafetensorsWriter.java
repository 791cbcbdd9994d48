package io.peftflow.core.safetensors;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.peftflow.core.PeftCoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes NDArrays as a safetensors file, one tensor at a time (GPU tensors are copied to the host one by
 * one). The header carries {@code "__metadata__": {"format": "pt"}}, which transformers and PEFT expect.
 * The file is written beside the target and moved into place, so a crash never leaves a half-written file
 * under the final name.
 */
public final class SafetensorsWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafetensorsWriter() {
    }

    public static void write(Path file, Map<String, NDArray> tensors) {
        write(file, tensors, Map.of());
    }

    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> extraMetadata) {
        ObjectNode header = JSON.createObjectNode();
        Map<String, String> meta = new LinkedHashMap<>(extraMetadata);
        meta.putIfAbsent("format", "pt");
        ObjectNode metaNode = header.putObject("__metadata__");
        meta.forEach(metaNode::put);
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            DType dtype = dtypeOf(a, file, e.getKey());
            long bytes = a.size() * dtype.bytes();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", dtype.name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PeftCoreException("cannot encode safetensors header", file, null, e);
        }
        // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(ch, head);
                for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                    writeTensor(ch, e.getValue());
                }
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PeftCoreException("cannot write safetensors file: " + e.getMessage(), file, null, e);
        }
    }

    private static void writeTensor(FileChannel ch, NDArray a) throws IOException {
        if (a.size() == 0) {
            return;
        }
        if (a.getDevice().equals(Device.cpu())) {
            writeFully(ch, a.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
            return;
        }
        try (NDArray host = a.toDevice(Device.cpu(), true)) {
            writeFully(ch, host.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    private static DType dtypeOf(NDArray a, Path file, String name) {
        DataType t = a.getDataType();
        try {
            return DType.of(t);
        } catch (IllegalArgumentException e) {
            throw new PeftCoreException("cannot store dtype " + t + " in safetensors", file, name, e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
