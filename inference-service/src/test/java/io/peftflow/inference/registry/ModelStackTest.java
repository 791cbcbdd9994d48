package io.peftflow.inference.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peftflow.events.contract.AdapterRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Stack names parse layer by layer; only versions of one base, each once, with one prompt adapter at most, stack. */
class ModelStackTest {
    @Test
    void aStackNamesItsLayersInOrder() {
        ModelStack s = ModelStack.parse("support-fr:2+ecommerce");
        assertEquals(List.of(new AdapterRef("support-fr", null, 2), new AdapterRef("ecommerce", AdapterRef.CHAMPION, null)),
                s.layers());
        assertEquals("support-fr:2+ecommerce", s.toString());
        assertEquals(1, ModelStack.parse("tx").layers().size());
        assertThrows(IllegalArgumentException.class, () -> ModelStack.parse("a+"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelStack.parse("a+b+c+d+e")).getMessage()
                .contains("at most 4"));
    }

    @Test
    void onlyVersionsOfOneBaseStack() {
        ServedVersion fr = new ServedVersion("t", "support-fr", 2, "lora", "tiny-llama", List.of());
        ServedVersion shop = new ServedVersion("t", "ecommerce", 5, "seq_bn", "tiny-llama", List.of());
        ServedStack stack = ServedStack.of(List.of(fr, shop));
        assertEquals("support-fr:2+ecommerce:5", stack.modelId());
        assertEquals("2+5", stack.versions());
        assertEquals("peftflow-support-fr-v2+ecommerce-v5", stack.fingerprint());
        assertEquals(shop, stack.top());

        ServedVersion other = new ServedVersion("t", "ecommerce", 6, "lora", "llama-3-8b", List.of());
        String why = assertThrows(IllegalArgumentException.class, () -> ServedStack.of(List.of(fr, other))).getMessage();
        assertTrue(why.contains("tiny-llama") && why.contains("llama-3-8b"), why);
        assertThrows(IllegalArgumentException.class, () -> ServedStack.of(List.of(fr, fr)));
        ServedVersion p1 = new ServedVersion("t", "p1", 1, "prompt_tuning", "tiny-llama", List.of());
        ServedVersion p2 = new ServedVersion("t", "p2", 1, "prompt_tuning", "tiny-llama", List.of());
        assertThrows(IllegalArgumentException.class, () -> ServedStack.of(List.of(p1, p2)));
    }

    @Test
    void anAdapterTrainedOnAStackIsServedOnIt() {
        ServedVersion fr = new ServedVersion("t", "support-fr", 2, "lora", "tiny-llama", List.of());
        ServedVersion fr1 = new ServedVersion("t", "support-fr", 1, "lora", "tiny-llama", List.of());
        ServedVersion shop = new ServedVersion("t", "ecommerce", 5, "lora", "tiny-llama", List.of(),
                List.of(AdapterRef.of("support-fr", 2)));
        java.util.function.Function<AdapterRef, ServedVersion> registry = ref -> {
            assertEquals(AdapterRef.of("support-fr", 2), ref, "only exact versions are resolved beneath");
            return fr;
        };
        ServedStack served = ServedStack.expand(List.of(shop), registry);
        assertEquals(ServedStack.of(List.of(fr, shop)), served);
        assertEquals("support-fr:2+ecommerce:5", served.modelId());
        assertEquals(served, ServedStack.expand(List.of(fr, shop), registry), "named beneath it already");
        String why = assertThrows(IllegalArgumentException.class, () -> ServedStack.expand(List.of(fr1, shop), registry))
                .getMessage();
        assertTrue(why.contains("ecommerce:5 was trained on top of support-fr:2") && why.contains("support-fr:1"), why);
        ServedVersion a = new ServedVersion("t", "a", 1, "lora", "tiny-llama", List.of());
        ServedVersion b = new ServedVersion("t", "b", 1, "lora", "tiny-llama", List.of());
        ServedVersion c = new ServedVersion("t", "c", 1, "lora", "tiny-llama", List.of());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ServedStack.expand(List.of(a, b, c, shop),
                registry)).getMessage().contains("at most 4"));
    }
}
