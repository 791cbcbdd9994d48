package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SECURITY.md's least privilege, offline: the users, roles and ACLs the manifests name are the ones the stack scripts
 * make, and the other way round. Kafka: k8s/components/kafka-access/kafka-access.sh (the local stack, compose, the
 * local overlay) against production's Strimzi KafkaUsers and every workload's Kafka login.
 */
class AccessControlsTest {
    private static final String KAFKA_ACCESS = "k8s/components/kafka-access/kafka-access.sh";

    /** One grant: user, resource type, resource name (a prefix), operation. */
    record Grant(String user, String type, String name, String operation) implements Comparable<Grant> {
        @Override
        public int compareTo(Grant o) {
            return toString().compareTo(o.toString());
        }
    }

    /** The ACLS table of kafka-access.sh. */
    static Set<Grant> scriptGrants() {
        Matcher table = Pattern.compile("(?s)\\nACLS=\"(.*?)\"").matcher(Repository.read(KAFKA_ACCESS));
        assertTrue(table.find(), "no ACLS table in " + KAFKA_ACCESS);
        Set<Grant> grants = new TreeSet<>();
        for (String line : table.group(1).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 4) {
                for (String op : f[1].split(",")) {
                    grants.add(new Grant(f[0], f[2], f[3], op));
                }
            }
        }
        assertFalse(grants.isEmpty());
        return grants;
    }

    static Set<String> scriptUsers() {
        Set<String> users = new TreeSet<>();
        scriptGrants().forEach(g -> users.add(g.user()));
        return users;
    }

    /** Production's KafkaUsers grant what the script grants, but Create (its topics are made by Strimzi). */
    @Test
    void strimziKafkaUsersGrantWhatTheAccessScriptGrants() {
        Set<Grant> strimzi = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode doc : Repository.rendered("production")) {
            if (!doc.path("kind").asText().equals("KafkaUser")) {
                continue;
            }
            String user = doc.at("/metadata/name").asText();
            if (!doc.at("/spec/authentication/type").asText().equals("scram-sha-512")) {
                problems.add(user + ": authentication is not scram-sha-512");
            }
            for (JsonNode acl : doc.at("/spec/authorization/acls")) {
                JsonNode resource = acl.path("resource");
                if (!resource.path("patternType").asText().equals("prefix")) {
                    problems.add(user + " " + resource.path("name").asText() + ": patternType is not prefix");
                }
                acl.path("operations").forEach(op -> strimzi.add(new Grant(user, resource.path("type").asText(),
                        resource.path("name").asText(), op.asText())));
            }
        }
        Set<Grant> script = new TreeSet<>(scriptGrants());
        script.removeIf(g -> g.operation().equals("Create"));
        assertEquals(List.of(), problems);
        assertEquals(script, strimzi);
    }

    /** The production Kafka listener wants SCRAM and the cluster authorizes; the local stack and compose run SASL too. */
    @Test
    void everyKafkaListenerAuthenticatesAndAuthorizes() {
        JsonNode kafka = Repository.rendered("production").stream()
                .filter(d -> d.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
        kafka.at("/spec/kafka/listeners").forEach(l -> assertEquals("scram-sha-512", l.at("/authentication/type").asText(),
                "listener " + l.path("name").asText()));
        assertEquals("simple", kafka.at("/spec/kafka/authorization/type").asText());
        assertTrue(kafka.at("/spec/entityOperator").has("userOperator"), "Strimzi's user operator makes the KafkaUsers");
        String stack = Repository.read("scripts/stack.sh");
        assertTrue(stack.contains("listener.security.protocol.map=CONTROLLER:SASL_PLAINTEXT,CLIENT:SASL_PLAINTEXT"));
        assertTrue(stack.contains("authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer"));
        JsonNode compose = Repository.composeConfig().at("/services/kafka/environment");
        assertFalse(compose.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText().contains(":PLAINTEXT"));
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", compose.path("KAFKA_AUTHORIZER_CLASS_NAME").asText());
    }

    /**
     * Every Kafka login a workload or a service's configuration names is a user the script makes (and, in production,
     * a KafkaUser), its password from that user's Secret; every user the script makes is used by some service.
     */
    @Test
    void everyKafkaLoginIsAUserOfTheAccessScript() {
        Set<String> users = scriptUsers();
        Set<String> used = new TreeSet<>();
        List<String> problems = new ArrayList<>();
        for (String overlay : Repository.overlays()) {
            Set<String> kafkaUsers = new TreeSet<>();
            Repository.rendered(overlay).stream().filter(d -> d.path("kind").asText().equals("KafkaUser"))
                    .forEach(d -> kafkaUsers.add(d.at("/metadata/name").asText()));
            for (JsonNode doc : Repository.rendered(overlay)) {
                for (JsonNode env : doc.findValues("env")) {
                    String user = null;
                    String secret = null;
                    for (JsonNode e : env) {
                        if (e.path("name").asText().equals("PEFTFLOW_KAFKA_USERNAME")) {
                            user = e.path("value").asText();
                        } else if (e.path("name").asText().equals("PEFTFLOW_KAFKA_PASSWORD")) {
                            secret = e.at("/valueFrom/secretKeyRef/name").asText();
                        }
                    }
                    if (user == null && secret == null) {
                        continue;
                    }
                    String where = overlay + " " + doc.path("kind").asText() + "/" + doc.at("/metadata/name").asText();
                    if (user == null || !users.contains(user)) {
                        problems.add(where + ": Kafka user " + user + " is not made by " + KAFKA_ACCESS);
                    } else if (!user.equals(secret)) {
                        problems.add(where + ": the password of " + user + " comes from Secret " + secret);
                    } else if (overlay.equals("production") && !kafkaUsers.contains(user)) {
                        problems.add(where + ": no KafkaUser " + user);
                    }
                    used.add(user);
                }
            }
        }
        for (ServiceConfig service : ServiceConfig.all()) {
            String user = service.properties().get("peftflow.kafka.username");
            if (user != null) {
                assertTrue(users.contains(user), service.module() + "'s Kafka user " + user + " is not made by " + KAFKA_ACCESS);
                used.add(user);
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(users, used, "users the script makes that no service logs in as");
        Matcher stackUsers = Pattern.compile("KAFKA_SERVICE_USERS=\\(([^)]*)\\)").matcher(Repository.read("scripts/stack.sh"));
        assertTrue(stackUsers.find());
        Set<String> stack = new TreeSet<>();
        for (String svc : stackUsers.group(1).trim().split("\\s+")) {
            stack.add(svc + "-service");
        }
        assertEquals(users, stack, "the local stack's passwords (stack.sh KAFKA_SERVICE_USERS) are for the script's users");
    }
}
