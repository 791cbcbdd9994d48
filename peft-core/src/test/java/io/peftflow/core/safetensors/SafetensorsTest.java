package io.peftflow.core.safetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.peftflow.core.Fixtures;
import io.peftflow.core.PeftCoreException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir
    Path tmp;

    @Test
    void convertsTorchWrittenDtypes() {
        try (SafetensorsFile f = SafetensorsFile.open(Fixtures.dir("dtypes.safetensors"));
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertEquals("pt", f.metadata().get("format"));
            assertArrayEquals(f.readFloats("bf16_as_f32"), f.readFloats("bf16"));
            assertArrayEquals(f.readFloats("f16_as_f32"), f.readFloats("f16"));
            assertArrayEquals(new long[] {-3, -2, -1, 0, 1, 2}, f.readLongs("i64"));
            assertArrayEquals(new long[] {-3, -2, -1, 0, 1, 2}, f.readLongs("i32"));
            NDArray bf = f.load("bf16", m, DataType.FLOAT32, Device.cpu());
            assertEquals(DataType.FLOAT32, bf.getDataType());
            assertArrayEquals(f.readFloats("bf16_as_f32"), bf.toFloatArray());
            // its values include 1e30, beyond fp16: refused, not turned into infinity
            assertThrows(PeftCoreException.class, () -> f.load("bf16", m, DataType.FLOAT16, Device.cpu()));
            NDArray direct = f.load("m2x3", m, DataType.FLOAT32, Device.cpu());
            assertEquals(new Shape(2, 3), direct.getShape());
            assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, direct.toFloatArray());
            assertEquals(DataType.INT64, f.load("i64", m, DataType.FLOAT32, Device.cpu()).getDataType());
        }
    }

    @Test
    void everyBf16WordDecodesExactlyInLibtorch() throws Exception {
        int n = 0xffff;   // odd: the last word has no partner in its int32
        ByteBuffer data = ByteBuffer.allocate(2 * n + 12).order(ByteOrder.LITTLE_ENDIAN);
        for (int bits = 0; bits < n; bits++) {
            data.putShort((short) bits);
        }
        short[] small = {0x3fc0, (short) 0xc020, 0x46ea, 0x3586, (short) 0x8001, 0x477f};  // 1.5 -2.5 29952 1e-6 ...
        for (short bits : small) {
            data.putShort(bits);
        }
        byte[] header = ("{\"w\":{\"dtype\":\"BF16\",\"shape\":[" + n + "],\"data_offsets\":[0," + 2 * n + "]},"
                + "\"small\":{\"dtype\":\"BF16\",\"shape\":[2,3],\"data_offsets\":[" + 2 * n + "," + (2 * n + 12)
                + "]}}").getBytes(StandardCharsets.UTF_8);
        Path file = tmp.resolve("bf16.safetensors");
        ByteBuffer all = ByteBuffer.allocate(8 + header.length + 2 * n + 12).order(ByteOrder.LITTLE_ENDIAN);
        all.putLong(header.length).put(header).put(data.array());
        Files.write(file, all.array());
        try (SafetensorsFile f = SafetensorsFile.open(file);
             NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[] got = f.load("w", m, DataType.FLOAT32, Device.cpu()).toFloatArray();
            assertEquals(n, got.length);
            for (int bits = 0; bits < n; bits++) {
                float want = HalfFloats.bf16ToFloat((short) bits);
                assertTrue(Float.isNaN(want) ? Float.isNaN(got[bits]) : want == got[bits] || (want == 0 && got[bits] == 0),
                        "bf16 " + Integer.toHexString(bits) + ": " + got[bits] + " != " + want);
            }
            NDArray half = f.load("small", m, DataType.FLOAT16, Device.cpu());
            assertEquals(new Shape(2, 3), half.getShape());
            float[] halves = half.toType(DataType.FLOAT32, false).toFloatArray();
            for (int i = 0; i < small.length; i++) {
                assertEquals(HalfFloats.f16ToFloat(HalfFloats.floatToF16(HalfFloats.bf16ToFloat(small[i]))), halves[i]);
            }
            // a loaded weight is an ordinary tensor that autograd can save for backward
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray x = m.ones(new Shape(2, 3));
                x.setRequiresGradient(true);
                NDArray w = f.load("small", m, DataType.FLOAT32, Device.cpu());
                gc.backward(x.mul(w).sum());
                assertArrayEquals(w.toFloatArray(), x.getGradient().toFloatArray());
            }
            // most bf16 values lie beyond fp16's range: the load names the tensor and says what to do instead
            PeftCoreException e = assertThrows(PeftCoreException.class,
                    () -> f.load("w", m, DataType.FLOAT16, Device.cpu()));
            assertTrue(e.getMessage().contains("FLOAT32") && "w".equals(e.tensor()), e.getMessage());
        }
    }

    @Test
    void halfConversionsRoundTripEveryHalf() {
        for (int bits = 0; bits < 0x10000; bits++) {
            float v = HalfFloats.f16ToFloat((short) bits);
            if (!Float.isNaN(v)) {
                assertEquals((short) bits, HalfFloats.floatToF16(v), "half " + Integer.toHexString(bits));
            }
        }
        assertEquals(-2.5f, HalfFloats.bf16ToFloat((short) 0xC020));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloats.f16ToFloat(HalfFloats.floatToF16(1e6f)));
        // Ties round to even: 1 + 2^-11 is halfway between 1 and the next half.
        assertEquals(1.0f, HalfFloats.f16ToFloat(HalfFloats.floatToF16(1f + 0x1p-11f)));
    }

    @Test
    void writerRoundTripsWithFormatMetadata() throws Exception {
        Path file = tmp.resolve("out.safetensors");
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> t = new LinkedHashMap<>();
            t.put("a.weight", m.create(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, new Shape(2, 3)));
            t.put("b", m.create(new long[] {7, 8}));
            t.put("c", m.create(new float[] {0.5f, 0.25f}).toType(DataType.FLOAT16, false));
            SafetensorsWriter.write(file, t, Map.of("note", "x"));
        }
        ByteBuffer head = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = head.getLong();
        assertEquals(0, n % 8, "data section 8-byte aligned");
        String json = new String(Files.readAllBytes(file), 8, (int) n, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"__metadata__\":{\"note\":\"x\",\"format\":\"pt\"}"), json);
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertArrayEquals(new float[] {1.5f, -2f, 3f, 4f, 5f, 6f}, f.readFloats("a.weight"));
            assertArrayEquals(new long[] {2, 3}, f.info("a.weight").shape());
            assertArrayEquals(new long[] {7, 8}, f.readLongs("b"));
            assertEquals(DType.F16, f.info("c").dtype());
            assertArrayEquals(new float[] {0.5f, 0.25f}, f.readFloats("c"));
            assertEquals("x", f.metadata().get("note"));
        }
        assertTrue(Files.list(tmp).noneMatch(p -> p.toString().endsWith(".tmp")));
    }

    private Path raw(String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = tmp.resolve("bad-" + Math.abs(header.hashCode()) + "-" + dataBytes + ".safetensors");
        Files.write(p, b.array());
        return p;
    }

    private static PeftCoreException fails(Path p) {
        PeftCoreException e = assertThrows(PeftCoreException.class, () -> SafetensorsFile.open(p).close());
        assertEquals(p, e.file(), e.getMessage());
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        return e;
    }

    @Test
    void badFilesFailWithFileAndTensorNamed() throws Exception {
        assertTrue(fails(tmp.resolve("missing.safetensors")).getMessage().contains("not found"));
        Path tiny = tmp.resolve("short.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertTrue(fails(tiny).getMessage().contains("truncated"));
        Path hugeLen = tmp.resolve("huge.safetensors");
        Files.write(hugeLen, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array());
        assertTrue(fails(hugeLen).getMessage().contains("header length"));
        assertTrue(fails(raw("{not json", 0)).getMessage().contains("not JSON"));
        String ok = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        PeftCoreException trunc = fails(raw(ok, 8));
        assertEquals("w", trunc.tensor());
        assertTrue(trunc.getMessage().contains("truncated"));
        PeftCoreException dtype = fails(raw(ok.replace("F32", "Q4"), 16));
        assertEquals("w", dtype.tensor());
        PeftCoreException size = fails(raw(ok.replace("[2,2]", "[2,3]"), 16));
        assertEquals("w", size.tensor());
        assertTrue(size.getMessage().contains("does not match"));
        assertEquals("w", fails(raw(ok.replace("[0,16]", "[16,0]"), 16)).tensor());
        assertEquals("w", fails(raw(ok.replace("[2,2]", "[4611686018427387904,4]"), 16)).tensor());
        try (SafetensorsFile f = SafetensorsFile.open(raw(ok, 16))) {
            PeftCoreException absent = assertThrows(PeftCoreException.class, () -> f.info("nope"));
            assertEquals("nope", absent.tensor());
            assertTrue(Arrays.equals(new float[4], f.readFloats("w")));
        }
    }
}
