package dev.sluice.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad values are refused, by values.schema.json or by the templates, with a message naming the value. */
class ChartValidationTest {

    /** Renders with the given values file content and expects a failure that mentions every fragment. */
    private static void refused(Path tmp, String valuesYaml, String... fragments) throws Exception {
        Path file = Files.createTempFile(tmp, "values", ".yaml");
        Files.writeString(file, valuesYaml);
        Tools.Result r = Tools.helmTemplate("sluice", "sluice", "-f", file.toString());
        assertFalse(r.ok(), "accepted:\n" + valuesYaml);
        for (String fragment : fragments) {
            assertTrue(r.stderr().contains(fragment), "the error does not say '" + fragment + "':\n" + r.stderr());
        }
    }

    @Test
    void replicasMustBeANumber(@TempDir Path tmp) throws Exception {
        refused(tmp, "workers:\n  replicas: three\n", "workers.replicas", "Expected: integer, given: string");
        refused(tmp, "receiver:\n  replicas: \"three\"\n", "receiver.replicas", "Expected: integer, given: string");
    }

    @Test
    void misspeltKeysAreRefused(@TempDir Path tmp) throws Exception {
        refused(tmp, "workers:\n  replica: 3\n", "workers", "Additional property replica is not allowed");
        refused(tmp, "workers:\n  pools:\n    - name: default\n      stage: map\n", "workers.pools.0",
                "Additional property stage is not allowed");
        refused(tmp, "image:\n  flavour: native\n", "image", "Additional property flavour is not allowed");
    }

    @Test
    void valuesOutOfRangeAreRefused(@TempDir Path tmp) throws Exception {
        refused(tmp, "image:\n  flavor: graal\n", "image.flavor", "\"jvm\", \"native\"");
        refused(tmp, "workers:\n  pools:\n    - name: Big_Pool\n", "workers.pools.0.name");
        refused(tmp, "workers:\n  pools:\n    - name: p\n      stages: \"map reduce\"\n", "workers.pools.0.stages");
        refused(tmp, "workers:\n  pools: []\n", "workers.pools");
        refused(tmp, "heartbeat:\n  interval: 500\n", "heartbeat.interval");
        refused(tmp, "job:\n  args:\n    \"bad key\": x\n", "job.args");
    }

    @Test
    void templatesRefuseWhatTheSchemaCannotSee(@TempDir Path tmp) throws Exception {
        refused(tmp, "job:\n  args:\n    checkpoint: /elsewhere\n", "job.args.checkpoint", "checkpoint.path");
        refused(tmp, "workers:\n  terminationGracePeriodSeconds: 30\n  drain:\n    timeoutSeconds: 10\n    sleepSeconds: 25\n",
                "workers.drain.timeoutSeconds + workers.drain.sleepSeconds (35)", "terminationGracePeriodSeconds (30)");
        refused(tmp, "workers:\n  pools:\n    - name: a\n    - name: a\n", "the pool name \"a\" is used twice");
        refused(tmp, "workers:\n  pools:\n    - name: a\n      autoscale: {enabled: true, min: 5, max: 2}\n",
                "workers.pools[a].autoscale: min (5) is greater than max (2)");
    }
}
