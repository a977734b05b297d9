package dev.sluice.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chart with src/test/resources/values-pools.yaml: three worker pools (one autoscaled),
 * native images from a registry, emptyDir fallbacks, a given token, and job arguments that
 * need escaping.
 */
class ChartPoolsTest {

    static Rendered chart;
    static JsonNode values;

    @BeforeAll
    static void render() throws Exception {
        Path file = Tools.testValues("values-pools.yaml");
        chart = Rendered.helm("r", "prod-ns", "-f", file.toString());
        values = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    }

    @Test
    void everyObjectMatchesTheApps() {
        ChartDefaultsTest.checkPortsAndProbes(chart);
        ChartDefaultsTest.checkServices(chart);
        ChartDefaultsTest.checkEnv(chart, Set.of("JAVA_OPTS_APPEND"));
        ChartDefaultsTest.checkLockedDown(chart);
        ChartDefaultsTest.checkNetworkPolicy(chart, "prod-grpc", "r");
        ChartDefaultsTest.checkCoordinatorKeys(Rendered.properties(chart.get(ConfigMap.class, "prod-coordinator-config")));
    }

    @Test
    void eachPoolIsADeploymentWithItsStages() {
        assertEquals(List.of("prod-coordinator", "prod-worker", "prod-worker-gpu", "prod-worker-reduce"),
                chart.all(Deployment.class).stream().map(d -> d.getMetadata().getName()).sorted().toList());
        Deployment map = chart.get(Deployment.class, "prod-worker");
        Deployment reduce = chart.get(Deployment.class, "prod-worker-reduce");
        Deployment gpu = chart.get(Deployment.class, "prod-worker-gpu");
        check(map, "default", "map", 3, "4");
        check(reduce, "reduce", "reduce,state", null, "2");
        check(gpu, "gpu", "all", 0, "4");
        assertEquals(Map.of("sluice.dev/node-class", "memory"), reduce.getSpec().getTemplate().getSpec().getNodeSelector());
        assertEquals(new Quantity("2Gi"), Rendered.container(reduce.getSpec().getTemplate()).getResources().getRequests().get("memory"));
        assertEquals(new Quantity("512Mi"), Rendered.container(map.getSpec().getTemplate()).getResources().getRequests().get("memory"));
        for (Deployment d : List.of(map, reduce, gpu)) {
            ChartDefaultsTest.checkDrain(d);
            PodDisruptionBudget pdb = chart.get(PodDisruptionBudget.class, d.getMetadata().getName());
            assertEquals(d.getSpec().getSelector(), pdb.getSpec().getSelector(), "the PDB selects only its pool");
            assertEquals("25%", pdb.getSpec().getMaxUnavailable().getStrVal());
        }
        // One headless Service over every pool.
        assertEquals(Map.of("app.kubernetes.io/name", "sluice", "app.kubernetes.io/instance", "r",
                "app.kubernetes.io/component", "worker"), chart.get(io.fabric8.kubernetes.api.model.Service.class, "prod-worker")
                .getSpec().getSelector());
    }

    private static void check(Deployment d, String pool, String stages, Integer replicas, String slots) {
        String name = d.getMetadata().getName();
        assertEquals(replicas, d.getSpec().getReplicas(), name + " replicas");
        assertEquals(pool, d.getSpec().getSelector().getMatchLabels().get("sluice.dev/worker-pool"), name);
        Container c = Rendered.container(d.getSpec().getTemplate());
        assertEquals(pool, Rendered.env(c, "SLUICE_WORKER_POOL").getValue(), name);
        assertEquals(stages, Rendered.env(c, "SLUICE_WORKER_STAGES").getValue(), name);
        assertEquals(slots, Rendered.env(c, "SLUICE_WORKER_SLOTS").getValue(), name);
        assertEquals("sluice.worker.slots", Apps.WORKER.propertyOfEnv("SLUICE_WORKER_SLOTS"));
    }

    @Test
    void theCoordinatorGetsTheAutoscaledPools() {
        Properties p = Rendered.properties(chart.get(ConfigMap.class, "prod-coordinator-config"));
        assertEquals("prod-ns", p.getProperty("sluice.autoscale.namespace"));
        assertEquals("prod-worker-reduce", p.getProperty("sluice.autoscale.pools.reduce.deployment"));
        assertEquals("reduce,state", p.getProperty("sluice.autoscale.pools.reduce.stages"));
        assertEquals("2", p.getProperty("sluice.autoscale.pools.reduce.min"));
        assertEquals("8", p.getProperty("sluice.autoscale.pools.reduce.max"));
        assertNull(p.getProperty("sluice.autoscale.pools.default.deployment"), "pools without autoscale are not listed");
        assertEquals("true", p.getProperty("sluice.receiver.write-ahead-log"));
        assertEquals("false", p.getProperty("sluice.speculation.enabled"));
        assertEquals("200", p.getProperty("sluice.batch-history"));
    }

    @Test
    void jobArgumentsReachTheCoordinatorUnchanged(@TempDir Path tmp) throws Exception {
        // Loaded as Quarkus loads config/application.properties, expressions and all.
        Path file = tmp.resolve("application.properties");
        Files.writeString(file, chart.get(ConfigMap.class, "prod-coordinator-config").getData().get("application.properties"));
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(file.toUri().toURL(), 260))
                .build();
        assertEquals("pipeline", config.getValue("sluice.job.name", String.class));
        JsonNode args = values.path("job").path("args");
        args.fieldNames().forEachRemaining(key -> assertEquals(args.get(key).asText(),
                config.getValue("sluice.job.args." + key, String.class), "sluice.job.args." + key));
        assertTrue(config.getValue("sluice.job.args.spec", String.class).contains("${not.an.expression}"));
        assertEquals("/data/checkpoints", config.getValue("sluice.job.args.checkpoint", String.class));
    }

    @Test
    void nativeImagesFromTheRegistry() {
        chart.podTemplates().forEach((w, p) -> {
            String repository = Rendered.app(p).properties().getProperty("quarkus.container-image.name");
            assertEquals("registry.example.com/team/sluice/" + repository + ":1.2.3-native", Rendered.container(p).getImage(), w);
            assertEquals("regcred", p.getSpec().getImagePullSecrets().get(0).getName(), w);
        });
        // Native images run from /work: Quarkus reads config/ there.
        Container coordinator = Rendered.container(chart.podTemplates().get("prod-coordinator"));
        assertEquals("/work/config", ChartDefaultsTest.mount(coordinator, "config").getMountPath());
    }

    @Test
    void withoutPersistenceCheckpointsAreEmptyDirs() {
        assertTrue(chart.all(PersistentVolumeClaim.class).isEmpty());
        for (String workload : List.of("prod-coordinator", "prod-worker", "prod-worker-reduce")) {
            PodTemplateSpec pod = chart.podTemplates().get(workload);
            assertNotNull(ChartDefaultsTest.volume(pod, "checkpoints").getEmptyDir(), workload);
            assertEquals("/data/checkpoints", ChartDefaultsTest.mount(Rendered.container(pod), "checkpoints").getMountPath());
        }
        StatefulSet receivers = chart.get(StatefulSet.class, "prod-receiver");
        assertEquals(3, receivers.getSpec().getReplicas());
        PersistentVolumeClaim wal = receivers.getSpec().getVolumeClaimTemplates().get(0);
        assertEquals("fast-ssd", wal.getSpec().getStorageClassName());
        assertEquals(new Quantity("10Gi"), wal.getSpec().getResources().getRequests().get("storage"));
    }

    @Test
    void aGivenTokenIsUsed() {
        Secret secret = chart.get(Secret.class, "prod-token");
        assertEquals("s3cret-token", new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8));
    }

    @Test
    void anExistingSecretReplacesTheChartsOwn() {
        Rendered r = Rendered.helm("sluice", "sluice", "--set", "auth.existingSecret=my-token");
        assertTrue(r.all(Secret.class).isEmpty());
        r.podTemplates().forEach((w, p) -> assertEquals("my-token",
                Rendered.env(Rendered.container(p), "SLUICE_CLUSTER_TOKEN").getValueFrom().getSecretKeyRef().getName(), w));
    }
}
