package io.peftflow.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * local overlay) against production's Strimzi KafkaUsers and every workload's Kafka login. PostgreSQL: a role per
 * service, owner of the one database it connects to, the same in scripts/stack.sh, create-databases.sh (compose, local
 * overlay) and CloudNativePG's managed roles (production). MinIO: k8s/components/minio/create-buckets.sh run against a
 * recording {@code mc} (no MinIO server runs here), its policies read back.
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

    /** The databases (one per service, each owned by peftflow_<database>) create-databases.sh makes. */
    static Set<String> localDatabases() {
        Matcher loop = Pattern.compile("for service in ([a-z ]+); do").matcher(Repository.read(CREATE_DATABASES));
        assertTrue(loop.find(), "no service loop in " + CREATE_DATABASES);
        return new TreeSet<>(List.of(loop.group(1).trim().split("\\s+")));
    }

    private static final String CREATE_DATABASES = "k8s/overlays/local/create-databases.sh";

    /** The same services get a role in the local stack, compose and the local overlay, and production. */
    @Test
    void everyServiceDatabaseHasItsOwnRoleEverywhere() {
        Matcher stackRoles = Pattern.compile("SERVICE_ROLES=\\(([^)]*)\\)").matcher(Repository.read("scripts/stack.sh"));
        assertTrue(stackRoles.find());
        Set<String> stack = new TreeSet<>(List.of(stackRoles.group(1).trim().split("\\s+")));
        assertEquals(stack, localDatabases(), "scripts/stack.sh's SERVICE_ROLES and " + CREATE_DATABASES);
        JsonNode cluster = Repository.rendered("production").stream()
                .filter(d -> d.path("kind").asText().equals("Cluster")).findFirst().orElseThrow();
        Set<String> managed = new TreeSet<>();
        for (JsonNode role : cluster.at("/spec/managed/roles")) {
            String name = role.path("name").asText();
            assertTrue(name.startsWith("peftflow_"), name);
            String database = name.substring("peftflow_".length());
            managed.add(database);
            assertEquals("peftflow-pg-" + database, role.at("/passwordSecret/name").asText(), name + "'s Secret");
            assertTrue(role.path("login").asBoolean() && !role.path("superuser").asBoolean(), name + " logs in, no superuser");
        }
        assertEquals(stack, managed, "CloudNativePG's managed roles");
        JsonNode initdb = cluster.at("/spec/bootstrap/initdb");
        assertEquals("peftflow_" + initdb.path("database").asText(), initdb.path("owner").asText());
        Set<String> owned = new TreeSet<>(Set.of(initdb.path("database").asText()));
        Matcher created = Pattern.compile("CREATE DATABASE (\\w+) OWNER peftflow_(\\w+)").matcher(initdb.path("postInitSQL").toString());
        while (created.find()) {
            assertEquals(created.group(1), created.group(2), "database " + created.group(1) + "'s owner");
            owned.add(created.group(1));
        }
        assertEquals(stack, owned, "production's databases, each owned by its service's role");
        for (String database : stack) {
            assertTrue(initdb.path("postInitSQL").toString().contains("REVOKE ALL ON DATABASE " + database + " FROM PUBLIC"),
                    "production: PUBLIC may not connect to " + database);
        }
    }

    /**
     * Every service container logs in to PostgreSQL as the role of the database it connects to, with that role's own
     * Secret (k8s) or variable (compose); no service logs in as the administrator.
     */
    @Test
    void everyServiceLogsInAsItsDatabasesRole() {
        List<String> problems = new ArrayList<>();
        for (Container c : Container.everywhere()) {
            String url = c.env().get("QUARKUS_DATASOURCE_JDBC_URL");
            if (c.module().isEmpty() || url == null) {
                continue;
            }
            String database = url.substring(url.lastIndexOf('/') + 1);
            if (c.where().equals("compose")) {
                if (!("peftflow_" + database).equals(c.env().get("QUARKUS_DATASOURCE_USERNAME"))) {
                    problems.add(c + ": user " + c.env().get("QUARKUS_DATASOURCE_USERNAME") + " on " + database);
                }
                if (!c.spec().toString().contains("PEFTFLOW_PG_" + database.toUpperCase() + "_PASSWORD")
                        && !Repository.read("docker-compose.yml").contains("QUARKUS_DATASOURCE_PASSWORD: ${PEFTFLOW_PG_"
                        + database.toUpperCase() + "_PASSWORD")) {
                    problems.add(c + ": password not from PEFTFLOW_PG_" + database.toUpperCase() + "_PASSWORD");
                }
                continue;
            }
            for (JsonNode e : c.spec().path("env")) {
                String name = e.path("name").asText();
                if (name.equals("QUARKUS_DATASOURCE_USERNAME") || name.equals("QUARKUS_DATASOURCE_PASSWORD")) {
                    String secret = e.at("/valueFrom/secretKeyRef/name").asText();
                    if (!secret.equals("peftflow-pg-" + database)) {
                        problems.add(c + ": " + name + " from Secret " + secret + " on database " + database);
                    }
                }
            }
            if (!c.env().containsKey("QUARKUS_DATASOURCE_USERNAME")) {
                problems.add(c + ": no QUARKUS_DATASOURCE_USERNAME");
            }
        }
        for (ServiceConfig service : ServiceConfig.all()) {
            if (service.usesDatabase()) {
                String url = service.properties().get("quarkus.datasource.jdbc.url");
                String database = url.substring(url.lastIndexOf('/') + 1);
                assertEquals("peftflow_" + database, service.properties().get("quarkus.datasource.username"),
                        service.module() + "'s local role");
            }
        }
        assertEquals(List.of(), problems);
    }

    private static final String CREATE_BUCKETS = "k8s/components/minio/create-buckets.sh";
    /** What each service writes (everything else it uses it only reads): SECURITY.md's least privilege for MinIO. */
    private static final Map<String, Set<String>> WRITES = Map.of(
            "dataset-service", Set.of("peftflow-datasets", "peftflow-batch-inputs"),
            "trainer-service", Set.of("peftflow-checkpoints", "peftflow-models"),
            "registry-service", Set.of("peftflow-adapters"),
            "inference-service", Set.of("peftflow-batches"));

    /**
     * The MinIO setup job, run for real against a recording {@code mc}: every service gets a user whose policy reaches
     * the buckets its configuration names, may write only the buckets it owns, and nothing else.
     */
    @Test
    void theMinioSetupGivesEachServiceItsOwnBucketsOnly(@TempDir Path dir) throws Exception {
        Path mc = dir.resolve("mc");
        Files.writeString(mc, """
                #!/bin/sh
                echo "$*" >>"$RECORD/calls"
                case "$*" in *"policy create"*) cp "$6" "$RECORD/" ;; esac
                """);
        assertTrue(mc.toFile().setExecutable(true));
        Map<String, String> env = new HashMap<>(Map.of("MC", mc.toString(), "RECORD", dir.toString(),
                "TMPDIR", dir.toString(), "S3_ENDPOINT", "http://minio:9000", "S3_ACCESS_KEY", "root",
                "S3_SECRET_KEY", "root-secret"));
        WRITES.keySet().forEach(u -> env.put("S3_SECRET_" + u.toUpperCase().replace('-', '_'), u + "-secret"));
        Repository.runIn(Repository.ROOT, env, "sh", Repository.ROOT.resolve(CREATE_BUCKETS).toString());
        String calls = Files.readString(dir.resolve("calls"));
        for (String user : WRITES.keySet()) {
            assertTrue(calls.contains("admin user add peftflow " + user + " " + user + "-secret"), user + " is made");
            assertTrue(calls.contains("admin policy attach peftflow peftflow-" + user + " --user " + user), user + "'s policy");
            JsonNode policy = Repository.YAML.readTree(dir.resolve(user + ".json").toFile());
            Set<String> reads = new TreeSet<>();
            Set<String> writes = new TreeSet<>();
            for (JsonNode statement : policy.path("Statement")) {
                assertEquals("Allow", statement.path("Effect").asText());
                boolean write = statement.path("Action").toString().contains("s3:PutObject");
                boolean read = statement.path("Action").toString().contains("s3:GetObject");
                for (JsonNode resource : statement.path("Resource")) {
                    String arn = resource.asText();
                    assertTrue(arn.startsWith("arn:aws:s3:::peftflow-"), user + ": " + arn);
                    String bucket = arn.substring("arn:aws:s3:::".length()).replaceFirst("/\\*$", "");
                    if (read) {
                        reads.add(bucket);
                    }
                    if (write) {
                        writes.add(bucket);
                    }
                }
            }
            assertEquals(WRITES.get(user), writes, user + " writes");
            ServiceConfig service = ServiceConfig.of(user);
            assertTrue(reads.containsAll(service.buckets()), user + " reads " + reads + ", its configuration names "
                    + service.buckets());
        }
    }

    /** Every workload logs in to S3 as its service's MinIO user, with that user's own secret. */
    @Test
    void everyS3LoginIsAUserOfTheSetupJob() {
        List<String> problems = new ArrayList<>();
        for (Container c : Container.everywhere()) {
            if (c.module().isEmpty() || !c.env().containsKey("PEFTFLOW_S3_ACCESS_KEY")) {
                continue;
            }
            String user = c.env().get("PEFTFLOW_S3_ACCESS_KEY");
            String module = c.module().orElseThrow();
            if (!module.equals(user)) {
                problems.add(c + ": S3 user " + user + " for " + module);
            }
            if (!c.where().equals("compose")) {
                for (JsonNode e : c.spec().path("env")) {
                    if (e.path("name").asText().equals("PEFTFLOW_S3_SECRET_KEY")
                            && !e.at("/valueFrom/secretKeyRef/name").asText().equals("peftflow-s3-" + user)) {
                        problems.add(c + ": S3 secret from " + e.at("/valueFrom/secretKeyRef/name").asText());
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        JsonNode buckets = Repository.composeConfig().at("/services/minio-buckets/environment");
        WRITES.keySet().forEach(u -> assertTrue(buckets.has("S3_SECRET_" + u.toUpperCase().replace('-', '_')),
                "compose's minio-buckets makes " + u));
    }
}
