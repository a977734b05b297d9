package dev.sluice.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The chart with its default values: `helm lint`, then every object of `helm template` parsed
 * strictly and checked against what the apps serve (ports, health paths) and read
 * (environment variables, coordinator properties).
 */
class ChartDefaultsTest {

    /**
     * Environment variables and properties the chart sets for Java-side support that is being
     * written (see docs/kubernetes.md, "What the chart expects from the apps"). An app that does
     * not read them yet ignores the variables; the properties are rendered only when used.
     */
    static final Map<String, String> PENDING_ENV = Map.of();
    static final String PENDING_PROPERTY_PREFIX = "sluice.autoscale.";

    /** Variables the chart sets that are not app configuration. */
    static final Set<String> OTHER_ENV = Set.of("POD_NAME");

    static Rendered chart;

    @BeforeAll
    static void render() {
        chart = Rendered.helm("sluice", "sluice");
    }

    @Test
    void lintIsClean() {
        for (List<String> extra : List.of(List.<String>of(),
                List.of("-f", Tools.testValues("values-pools.yaml").toString()))) {
            List<String> command = new java.util.ArrayList<>(List.of(Tools.helm().toString(), "lint", "--strict",
                    Tools.chart().toString()));
            command.addAll(extra);
            Tools.Result lint = Tools.run(command).orFail();
            assertFalse(lint.stdout().contains("[WARNING]") || lint.stdout().contains("[ERROR]"), lint.stdout());
        }
    }

    @Test
    void rendersTheExpectedObjects() {
        assertEquals(List.of(
                "ConfigMap/sluice-coordinator-config",
                "Deployment/sluice-coordinator",
                "Deployment/sluice-worker",
                "NetworkPolicy/sluice-grpc",
                "PersistentVolumeClaim/sluice-checkpoints",
                "PodDisruptionBudget/sluice-worker",
                "Role/sluice-coordinator",
                "RoleBinding/sluice-coordinator",
                "Secret/sluice-token",
                "Service/sluice-coordinator",
                "Service/sluice-receiver",
                "Service/sluice-receiver-headless",
                "Service/sluice-worker",
                "ServiceAccount/sluice-coordinator",
                "StatefulSet/sluice-receiver"), chart.names());
        chart.objects().forEach(o -> assertEquals("sluice", o.getMetadata().getNamespace(), o.getMetadata().getName()));
    }

    @Test
    void portsAndProbesAreTheOnesTheAppsServe() {
        checkPortsAndProbes(chart);
    }

    static void checkPortsAndProbes(Rendered rendered) {
        rendered.podTemplates().forEach((workload, pod) -> {
            Apps app = Rendered.app(pod);
            Container c = Rendered.container(pod);
            assertEquals(Map.of("http", app.httpPort(), "grpc", app.grpcPort()), containerPorts(c),
                    workload + ": container ports vs " + app.module + "'s quarkus.http.port / quarkus.grpc.server.port");
            checkProbe(workload + " startup", c.getStartupProbe(), "/q/health/started");
            checkProbe(workload + " liveness", c.getLivenessProbe(), "/q/health/live");
            checkProbe(workload + " readiness", c.getReadinessProbe(), "/q/health/ready");
        });
    }

    private static Map<String, Integer> containerPorts(Container c) {
        Map<String, Integer> ports = new java.util.TreeMap<>();
        for (ContainerPort p : c.getPorts()) {
            assertEquals("TCP", p.getProtocol());
            ports.put(p.getName(), p.getContainerPort());
        }
        return ports;
    }

    private static void checkProbe(String what, Probe probe, String path) {
        assertNotNull(probe, what + " probe");
        assertNotNull(probe.getHttpGet(), what + " probe is not httpGet");
        assertEquals(path, probe.getHttpGet().getPath(), what);
        assertEquals("http", probe.getHttpGet().getPort().getStrVal(), what + " probe port");
    }

    @Test
    void servicesReachTheRightPodsAndPorts() {
        checkServices(chart);
        assertNull(chart.get(Service.class, "sluice-coordinator").getSpec().getClusterIP());
        assertEquals("None", chart.get(Service.class, "sluice-worker").getSpec().getClusterIP());
        Service receivers = chart.get(Service.class, "sluice-receiver-headless");
        assertEquals("None", receivers.getSpec().getClusterIP());
        assertTrue(receivers.getSpec().getPublishNotReadyAddresses());
        assertEquals("sluice-receiver-headless", chart.get(StatefulSet.class, "sluice-receiver").getSpec().getServiceName());
    }

    /** Every Service selects pods of one role, and each of its ports is that role's port of the same name. */
    static void checkServices(Rendered rendered) {
        for (Service svc : rendered.all(Service.class)) {
            String name = svc.getMetadata().getName();
            Map<String, String> selector = svc.getSpec().getSelector();
            List<PodTemplateSpec> pods = rendered.podTemplates().values().stream()
                    .filter(p -> p.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())).toList();
            assertFalse(pods.isEmpty(), "Service " + name + " selects no pod: " + selector);
            for (PodTemplateSpec pod : pods) {
                Map<String, Integer> ports = containerPorts(Rendered.container(pod));
                for (ServicePort sp : svc.getSpec().getPorts()) {
                    String target = sp.getTargetPort().getStrVal();
                    assertNotNull(ports.get(target), name + ": targetPort " + target + " is not a container port");
                    // The same number on the Service: addresses such as <release>-coordinator:9090 hold.
                    assertEquals(ports.get(target), sp.getPort(), name + " port " + sp.getName());
                    assertEquals(target, sp.getName(), name);
                }
            }
        }
    }

    @Test
    void environmentVariablesAreOnesTheAppsRead() {
        checkEnv(chart, Set.of());
    }

    static void checkEnv(Rendered rendered, Set<String> extraEnv) {
        rendered.podTemplates().forEach((workload, pod) -> {
            Apps app = Rendered.app(pod);
            for (EnvVar e : Rendered.container(pod).getEnv()) {
                String name = e.getName();
                if (OTHER_ENV.contains(name) || extraEnv.contains(name)) {
                    continue;
                }
                assertTrue(name.startsWith("SLUICE_"), workload + ": unexpected env var " + name);
                assertTrue(app.propertyOfEnv(name) != null || PENDING_ENV.containsKey(name),
                        workload + ": " + name + " is not the env form of a property " + app.module + " reads "
                                + app.configNames());
            }
            Container c = Rendered.container(pod);
            assertEquals("secretKeyRef", c.getEnv().stream().filter(e -> e.getName().equals("SLUICE_CLUSTER_TOKEN"))
                    .map(e -> e.getValueFrom().getSecretKeyRef() != null ? "secretKeyRef" : "?").findFirst().orElse("missing"),
                    workload + ": SLUICE_CLUSTER_TOKEN");
            if (app != Apps.COORDINATOR) {
                // Workers and receivers dial the coordinator Service's gRPC port.
                String address = Rendered.env(c, "SLUICE_COORDINATOR_ADDRESS").getValue();
                String[] hostPort = address.split(":");
                Service coordinator = rendered.get(Service.class, hostPort[0]);
                assertTrue(coordinator.getSpec().getPorts().stream()
                                .anyMatch(p -> p.getName().equals("grpc") && p.getPort() == Apps.COORDINATOR.grpcPort()
                                        && p.getPort() == Integer.parseInt(hostPort[1])),
                        workload + ": SLUICE_COORDINATOR_ADDRESS " + address);
            }
        });
    }

    @Test
    void coordinatorConfigurationIsWhatTheCoordinatorReads() {
        ConfigMap cm = chart.get(ConfigMap.class, "sluice-coordinator-config");
        Properties p = Rendered.properties(cm);
        checkCoordinatorKeys(p);
        assertEquals("wordcount", p.getProperty("sluice.job.name"));
        assertEquals("1s", p.getProperty("sluice.job.args.batch"));
        assertEquals("1", p.getProperty("sluice.job.concurrent-batches"));
        assertFalse(p.stringPropertyNames().stream().anyMatch(k -> k.startsWith(PENDING_PROPERTY_PREFIX)),
                "no autoscale keys without an autoscaled pool: today's coordinator refuses unknown sluice.* keys");
        // Mounted as config/ under the JVM image's working directory (quarkus.jib.working-directory).
        String workDir = Apps.COORDINATOR.properties().getProperty("quarkus.jib.working-directory");
        assertEquals("/deployments", workDir);
        Container c = Rendered.container(chart.podTemplates().get("sluice-coordinator"));
        assertEquals(workDir + "/config", mount(c, "config").getMountPath());
        assertEquals("sluice-coordinator-config", volume(chart.podTemplates().get("sluice-coordinator"), "config")
                .getConfigMap().getName());
    }

    static void checkCoordinatorKeys(Properties p) {
        for (String key : p.stringPropertyNames()) {
            assertTrue(Apps.COORDINATOR.reads(key) || key.startsWith(PENDING_PROPERTY_PREFIX),
                    "the coordinator does not read " + key + " (it reads " + Apps.COORDINATOR.configNames() + ")");
        }
    }

    static VolumeMount mount(Container c, String volume) {
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " does not mount " + volume));
    }

    static Volume volume(PodTemplateSpec pod, String name) {
        return pod.getSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    @Test
    void coordinatorAndWorkersShareTheCheckpointVolume() {
        Properties p = Rendered.properties(chart.get(ConfigMap.class, "sluice-coordinator-config"));
        String path = p.getProperty("sluice.job.args.checkpoint");
        assertEquals("/var/lib/sluice/checkpoints", path);
        PersistentVolumeClaim pvc = chart.get(PersistentVolumeClaim.class, "sluice-checkpoints");
        assertEquals(List.of("ReadWriteMany"), pvc.getSpec().getAccessModes());
        assertEquals("keep", pvc.getMetadata().getAnnotations().get("helm.sh/resource-policy"));
        for (String workload : List.of("sluice-coordinator", "sluice-worker")) {
            PodTemplateSpec pod = chart.podTemplates().get(workload);
            assertEquals(path, mount(Rendered.container(pod), "checkpoints").getMountPath(), workload);
            assertEquals("sluice-checkpoints", volume(pod, "checkpoints").getPersistentVolumeClaim().getClaimName(), workload);
        }
        assertEquals("Recreate", chart.get(Deployment.class, "sluice-coordinator").getSpec().getStrategy().getType());
        assertEquals(1, chart.get(Deployment.class, "sluice-coordinator").getSpec().getReplicas());
    }

    @Test
    void receiversKeepTheirIdsAndWriteAheadLogs() {
        StatefulSet sts = chart.get(StatefulSet.class, "sluice-receiver");
        assertEquals(1, sts.getSpec().getReplicas());
        assertEquals("wal", sts.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
        assertEquals(List.of("ReadWriteOnce"), sts.getSpec().getVolumeClaimTemplates().get(0).getSpec().getAccessModes());
        Container c = Rendered.container(sts.getSpec().getTemplate());
        String walDir = Rendered.env(c, "SLUICE_RECEIVER_WAL_DIR").getValue();
        assertEquals("sluice.receiver.wal.dir", Apps.RECEIVER.propertyOfEnv("SLUICE_RECEIVER_WAL_DIR"));
        assertEquals(walDir, mount(c, "wal").getMountPath());
        assertEquals("metadata.name", Rendered.env(c, "POD_NAME").getValueFrom().getFieldRef().getFieldPath());
        assertEquals("$(POD_NAME)", Rendered.env(c, "SLUICE_RECEIVER_ID").getValue());
        assertEquals("$(POD_NAME).sluice-receiver-headless.sluice.svc.cluster.local",
                Rendered.env(c, "SLUICE_RECEIVER_ADVERTISED_HOST").getValue());
    }

    @Test
    void podsRunLockedDown() {
        checkLockedDown(chart);
    }

    static void checkLockedDown(Rendered rendered) {
        rendered.podTemplates().forEach((workload, pod) -> {
            PodSpec spec = pod.getSpec();
            assertTrue(spec.getSecurityContext().getRunAsNonRoot(), workload);
            assertEquals("RuntimeDefault", spec.getSecurityContext().getSeccompProfile().getType(), workload);
            Container c = Rendered.container(pod);
            assertTrue(c.getSecurityContext().getRunAsNonRoot(), workload);
            assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem(), workload);
            assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation(), workload);
            assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop(), workload);
            assertEquals("/tmp", mount(c, "tmp").getMountPath(), workload);
            assertNotNull(volume(pod, "tmp").getEmptyDir(), workload + ": /tmp is an emptyDir");
            assertFalse(c.getResources().getRequests().isEmpty(), workload + " resource requests");
            assertFalse(c.getResources().getLimits().isEmpty(), workload + " resource limits");
        });
    }

    @Test
    void workersDrainBeforeTheyStop() {
        checkDrain(chart.get(Deployment.class, "sluice-worker"));
    }

    static void checkDrain(Deployment d) {
        PodSpec spec = d.getSpec().getTemplate().getSpec();
        String script = String.join(" ", Rendered.container(d.getSpec().getTemplate()).getLifecycle().getPreStop()
                .getExec().getCommand());
        assertTrue(script.contains("-X POST") && script.contains("http://127.0.0.1:" + Apps.WORKER.httpPort() + "/api/drain"),
                script);
        assertTrue(script.contains("/dev/tcp/127.0.0.1/" + Apps.WORKER.httpPort()), script);
        Matcher timeout = Pattern.compile("curl -fsS -m (\\d+)").matcher(script);
        Matcher sleep = Pattern.compile("sleep (\\d+)").matcher(script);
        assertTrue(timeout.find() && sleep.find(), script);
        assertTrue(Integer.parseInt(timeout.group(1)) + Integer.parseInt(sleep.group(1)) < spec.getTerminationGracePeriodSeconds(),
                "the preStop hook must end within terminationGracePeriodSeconds");
    }

    @Test
    void theDefaultPoolRunsEveryStage() {
        Deployment d = chart.get(Deployment.class, "sluice-worker");
        assertEquals(2, d.getSpec().getReplicas());
        Container c = Rendered.container(d.getSpec().getTemplate());
        assertEquals("default", Rendered.env(c, "SLUICE_WORKER_POOL").getValue());
        assertEquals("all", Rendered.env(c, "SLUICE_WORKER_STAGES").getValue());
        assertEquals("status.podIP", Rendered.env(c, "SLUICE_WORKER_ADVERTISED_HOST").getValueFrom().getFieldRef().getFieldPath());
        PodDisruptionBudget pdb = chart.get(PodDisruptionBudget.class, "sluice-worker");
        assertEquals(1, pdb.getSpec().getMaxUnavailable().getIntVal());
        assertEquals(d.getSpec().getSelector(), pdb.getSpec().getSelector());
    }

    @Test
    void theCoordinatorMayScaleWorkerDeployments() {
        PodSpec pod = chart.podTemplates().get("sluice-coordinator").getSpec();
        ServiceAccount sa = chart.get(ServiceAccount.class, pod.getServiceAccountName());
        assertTrue(pod.getAutomountServiceAccountToken());
        assertFalse(sa.getAutomountServiceAccountToken());
        Role role = chart.get(Role.class, "sluice-coordinator");
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            for (String resource : rule.getResources()) {
                for (String verb : rule.getVerbs()) {
                    granted.add(String.join("/", rule.getApiGroups()) + ":" + resource + ":" + verb);
                }
            }
        }
        assertEquals(new TreeSet<>(List.of("apps:deployments:get", "apps:deployments:list", "apps:deployments:patch",
                "apps:deployments/scale:get", "apps:deployments/scale:list", "apps:deployments/scale:patch")), granted);
        RoleBinding binding = chart.get(RoleBinding.class, "sluice-coordinator");
        assertEquals("Role", binding.getRoleRef().getKind());
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(sa.getMetadata().getName(), binding.getSubjects().get(0).getName());
        // The other roles do not talk to the API server.
        chart.podTemplates().forEach((workload, p) -> {
            if (!workload.equals("sluice-coordinator")) {
                assertFalse(p.getSpec().getAutomountServiceAccountToken(), workload);
            }
        });
    }

    @Test
    void onlyTheReleasesPodsReachTheGrpcPorts() {
        checkNetworkPolicy(chart, "sluice-grpc", "sluice");
    }

    static void checkNetworkPolicy(Rendered rendered, String name, String release) {
        NetworkPolicy np = rendered.get(NetworkPolicy.class, name);
        Map<String, String> releasePods = Map.of("app.kubernetes.io/name", "sluice", "app.kubernetes.io/instance", release);
        assertEquals(releasePods, np.getSpec().getPodSelector().getMatchLabels());
        rendered.podTemplates().forEach((w, p) -> assertTrue(
                p.getMetadata().getLabels().entrySet().containsAll(releasePods.entrySet()), w + " is not covered"));
        assertEquals(List.of("Ingress"), np.getSpec().getPolicyTypes());
        List<NetworkPolicyIngressRule> rules = np.getSpec().getIngress();
        assertEquals(2, rules.size());
        NetworkPolicyIngressRule grpc = rules.get(0);
        assertEquals("grpc", grpc.getPorts().get(0).getPort().getStrVal());
        assertEquals(releasePods, grpc.getFrom().get(0).getPodSelector().getMatchLabels());
        assertNull(grpc.getFrom().get(0).getNamespaceSelector(), "same namespace only");
        NetworkPolicyIngressRule http = rules.get(1);
        assertEquals("http", http.getPorts().get(0).getPort().getStrVal());
        assertTrue(http.getFrom() == null || http.getFrom().isEmpty(), "HTTP is open to all");
    }

    @Test
    void aGeneratedTokenIsHandedToEveryRole() {
        Secret secret = chart.get(Secret.class, "sluice-token");
        String token = new String(Base64.getDecoder().decode(secret.getData().get("token")), StandardCharsets.UTF_8);
        assertEquals(48, token.length());
        chart.podTemplates().forEach((w, p) -> assertEquals("sluice-token",
                Rendered.env(Rendered.container(p), "SLUICE_CLUSTER_TOKEN").getValueFrom().getSecretKeyRef().getName(), w));
    }

    @Test
    void imagesAreTheOnesTheBuildNames() throws Exception {
        // The root pom names the images (group and tag) once; each app names its repository.
        String pom = Files.readString(Tools.repo().resolve("pom.xml"));
        String group = pomProperty(pom, "sluice.image.group");
        String tag = pomProperty(pom, "sluice.image.tag");
        assertEquals("", pomProperty(pom, "sluice.image.registry"));
        chart.podTemplates().forEach((w, p) -> {
            Apps app = Rendered.app(p);
            String name = app.properties().getProperty("quarkus.container-image.name");
            assertEquals(group + "/" + name + ":" + tag, Rendered.container(p).getImage(), w);
            assertEquals("185", app.properties().getProperty("quarkus.jib.user"), app.module + " runs as user 185");
        });
    }

    private static String pomProperty(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">").matcher(pom);
        if (!m.find()) {
            fail("the root pom has no property " + name);
        }
        return m.group(1).trim();
    }
}
