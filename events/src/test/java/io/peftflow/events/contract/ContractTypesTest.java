package io.peftflow.events.contract;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each contract type's one rule, its one message, and the field it names. */
class ContractTypesTest {

    @ParameterizedTest
    @ValueSource(strings = {"transactions-seq_bn", "Transactions", "tx.v2", "-tx", "", "a b"})
    void resourceNamesTheRegistryWouldRefuse(String name) {
        assertFalse(ResourceName.valid(name));
        InvalidValue e = assertThrows(InvalidValue.class, () -> ResourceName.check("adapter_name", name));
        assertEquals("adapter_name", e.field());
        assertTrue(e.getMessage().startsWith("adapter_name must be 1 to 63 lower-case letters"), e.getMessage());
    }

    @Test
    void resourceNameLengthAndNull() {
        assertTrue(ResourceName.valid("a" + "-".repeat(61) + "b"));
        assertFalse(ResourceName.valid("x".repeat(64)));
        assertFalse(ResourceName.valid(null));
        assertThrows(InvalidValue.class, () -> ResourceName.check("dataset", null));
    }

    @Test
    void derivedDefaultNamesAreValidForEveryMethod() {
        for (String method : new String[] {"lora", "seq_bn", "double_seq_bn", "prompt_tuning"}) {
            String name = ResourceName.derive("transactions", method);
            assertTrue(ResourceName.valid(name), name);
        }
        assertEquals("transactions-seq-bn", ResourceName.derive("transactions", "seq_bn"));
        assertEquals("d".repeat(62), ResourceName.derive("d".repeat(62), "lora"), "cut to 63, no trailing '-'");
        assertEquals("d".repeat(58) + "-x", ResourceName.derive("d".repeat(58), "_x"));
    }

    @Test
    void tenantsFollowTheNameRuleAndDefault() {
        assertEquals("default", Tenant.fromHeader(null).value());
        assertEquals("default", Tenant.fromHeader("").value());
        assertEquals("acme", Tenant.fromHeader("acme").value());
        InvalidValue e = assertThrows(InvalidValue.class, () -> Tenant.fromHeader("Bad Tenant"));
        assertEquals("X-Tenant", e.field());
    }

    @Test
    void baseModelIds() {
        assertTrue(BaseModelId.valid("tiny-llama"));
        assertTrue(BaseModelId.valid("meta-llama/Llama-3.2-1B"));
        assertTrue(BaseModelId.valid("a".repeat(96) + "/" + "b".repeat(96)));
        assertFalse(BaseModelId.valid("a".repeat(97)));
        assertFalse(BaseModelId.valid("org/../etc"));
        assertFalse(BaseModelId.valid("a/b/c"));
        assertFalse(BaseModelId.valid("/abs"));
        assertEquals("model", assertThrows(InvalidValue.class, () -> BaseModelId.check("model", "a..b")).field());
    }

    @Test
    void s3UrisHaveOneParser() {
        S3Uri uri = S3Uri.parse("s3://peftflow-checkpoints/acme/ftjob-1/adapter/adapter_config.json");
        assertEquals("peftflow-checkpoints", uri.bucket());
        assertEquals("acme/ftjob-1/adapter/adapter_config.json", uri.key());
        assertEquals("s3://peftflow-checkpoints/acme/ftjob-1/adapter/adapter_config.json", uri.toString());
        assertEquals("prefix/", S3Uri.parse("s3://bucket/prefix/").key());
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3://", "s3:///key", "s3://bucket", "s3://bucket/", "http://bucket/key", "s3://Bucket/key",
            "s3://bucket//key", "s3://bucket/a/../b", "s3://b/key"})
    void malformedS3UrisAreRefusedNamingTheField(String uri) {
        assertFalse(S3Uri.valid(uri));
        InvalidValue e = assertThrows(InvalidValue.class, () -> S3Uri.parse("files[0].uri", uri));
        assertEquals("files[0].uri", e.field());
        assertTrue(e.getMessage().startsWith("files[0].uri must be an s3://bucket/key URI"), e.getMessage());
    }

    @Test
    void adapterRefsNameAVersionAnAliasOrTheChampion() {
        assertEquals(AdapterRef.champion("support-fr"), AdapterRef.parse("model", "support-fr"));
        assertEquals(AdapterRef.of("support-fr", 2), AdapterRef.parse("stack_on[0]", "support-fr:2"));
        assertEquals(new AdapterRef("support-fr", "challenger", null), AdapterRef.parse("model", "support-fr:challenger"));
        assertEquals("support-fr:2", AdapterRef.of("support-fr", 2).toString());
        assertEquals("support-fr", AdapterRef.champion("support-fr").toString());
        for (String bad : new String[] {"", "Support", "a:B", "a:", "a:b:c"}) {
            assertEquals("stack_on[1]", assertThrows(InvalidValue.class, () -> AdapterRef.parse("stack_on[1]", bad))
                    .field(), bad);
        }
    }
}
