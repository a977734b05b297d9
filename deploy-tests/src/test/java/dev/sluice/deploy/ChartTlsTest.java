package dev.sluice.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * tls.*: off by default; with a given Secret or with cert-manager, every pod mounts the Secret
 * read-only, gets sluice.tls.* pointing at its files and HTTPS probes, and the certificate
 * names every host a pod is dialled by.
 */
class ChartTlsTest {

    private static final String DIR = "/etc/sluice/tls";

    /** The rendered chart: the Certificates as trees (not in the fabric8 model), the rest parsed strictly. */
    private record WithCertificates(Rendered chart, List<JsonNode> certificates) {
        static WithCertificates helm(String... values) {
            List<String> args = new ArrayList<>();
            for (String v : values) {
                args.addAll(List.of("--set", v));
            }
            String yaml = Tools.helmTemplate("sluice", "sluice", args.toArray(String[]::new)).orFail().stdout();
            List<JsonNode> certs = new ArrayList<>();
            List<HasMetadata> objects = new ArrayList<>();
            for (JsonNode doc : StrictKubernetes.documents(yaml)) {
                if (doc.path("kind").asText().equals("Certificate")) {
                    assertEquals("cert-manager.io/v1", doc.path("apiVersion").asText());
                    certs.add(doc);
                } else {
                    objects.add(StrictKubernetes.parse(doc));
                }
            }
            return new WithCertificates(new Rendered(yaml, objects), certs);
        }
    }

    @Test
    void offByDefault() {
        WithCertificates r = WithCertificates.helm();
        assertTrue(r.certificates().isEmpty());
        r.chart().podTemplates().forEach((workload, pod) -> {
            Container c = Rendered.container(pod);
            assertTrue(c.getEnv().stream().noneMatch(e -> e.getName().startsWith("SLUICE_TLS_")), workload);
            assertTrue(pod.getSpec().getVolumes().stream().noneMatch(v -> v.getName().equals("tls")), workload);
            assertNull(c.getReadinessProbe().getHttpGet().getScheme(), workload);
        });
    }

    @Test
    void aGivenSecretIsMountedIntoEveryPod() {
        WithCertificates r = WithCertificates.helm("tls.enabled=true", "tls.existingSecret=my-tls");
        assertTrue(r.certificates().isEmpty(), "no Certificate for a given Secret");
        checkPods(r.chart(), "my-tls");
    }

    @Test
    void certManagerIssuesACertificateForEveryHostPodsDial() {
        WithCertificates r = WithCertificates.helm("tls.enabled=true", "tls.certManager.enabled=true",
                "tls.certManager.issuerRef.name=cluster-ca", "tls.certManager.issuerRef.kind=ClusterIssuer",
                "tls.certManager.dnsNames={ingest.example.com}");
        assertEquals(1, r.certificates().size());
        JsonNode spec = r.certificates().get(0).path("spec");
        assertEquals("sluice-tls", spec.path("secretName").asText());
        assertEquals("cluster-ca", spec.path("issuerRef").path("name").asText());
        assertEquals("ClusterIssuer", spec.path("issuerRef").path("kind").asText());
        assertEquals("PKCS8", spec.path("privateKey").path("encoding").asText());
        List<String> names = new ArrayList<>();
        spec.path("dnsNames").forEach(n -> names.add(n.asText()));
        assertTrue(names.contains("ingest.example.com"), names.toString());
        checkPods(r.chart(), "sluice-tls");

        // The hosts the pods dial, with the pod names the variables stand for.
        Map<String, PodTemplateSpec> pods = r.chart().podTemplates();
        Container worker = Rendered.container(pods.get("sluice-worker"));
        Container receiver = Rendered.container(pods.get("sluice-receiver"));
        List<String> dialled = List.of(
                Rendered.env(worker, "SLUICE_COORDINATOR_ADDRESS").getValue().split(":")[0],
                Rendered.env(worker, "SLUICE_WORKER_ADVERTISED_HOST").getValue().replace("$(SLUICE_WORKER_ID)", "sluice-worker-5d8f7c9b4-x2x7q"),
                Rendered.env(receiver, "SLUICE_RECEIVER_ADVERTISED_HOST").getValue().replace("$(POD_NAME)", "sluice-receiver-0"),
                "sluice-receiver.sluice.svc");
        for (String host : dialled) {
            assertTrue(names.stream().anyMatch(san -> matches(san, host)), host + " is not named by " + names);
        }
        assertFalse(names.stream().anyMatch(san -> matches(san, "a.b.sluice-worker.sluice.svc.cluster.local")),
                "a wildcard covers one label only");
    }

    /** A certificate name matches a host as TLS clients match it: "*" stands for one whole label. */
    private static boolean matches(String san, String host) {
        if (san.startsWith("*.")) {
            int dot = host.indexOf('.');
            return dot > 0 && host.substring(dot).equals(san.substring(1));
        }
        return san.equals(host);
    }

    private static void checkPods(Rendered chart, String secret) {
        ChartDefaultsTest.checkPortsAndProbes(chart);
        ChartDefaultsTest.checkEnv(chart, Set.of());
        ChartDefaultsTest.checkLockedDown(chart);
        chart.podTemplates().forEach((workload, pod) -> {
            Container c = Rendered.container(pod);
            assertEquals("true", Rendered.env(c, "SLUICE_TLS_ENABLED").getValue(), workload);
            assertEquals(DIR + "/tls.crt", Rendered.env(c, "SLUICE_TLS_CERT").getValue(), workload);
            assertEquals(DIR + "/tls.key", Rendered.env(c, "SLUICE_TLS_KEY").getValue(), workload);
            assertEquals(DIR + "/ca.crt", Rendered.env(c, "SLUICE_TLS_CA").getValue(), workload);
            VolumeMount mount = ChartDefaultsTest.mount(c, "tls");
            assertEquals(DIR, mount.getMountPath(), workload);
            assertTrue(mount.getReadOnly(), workload);
            Volume v = ChartDefaultsTest.volume(pod, "tls");
            assertEquals(secret, v.getSecret().getSecretName(), workload);
            for (Probe p : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
                assertEquals("HTTPS", p.getHttpGet().getScheme(), workload);
            }
            assertTrue(pod.getMetadata().getAnnotations().containsKey("checksum/tls"), workload);
        });
        // Workers are dialled by their name under the headless Service, which exists from their start.
        Deployment workers = chart.get(Deployment.class, "sluice-worker");
        assertEquals("sluice-worker", workers.getSpec().getTemplate().getSpec().getSubdomain());
        assertTrue(chart.get(Service.class, "sluice-worker").getSpec().getPublishNotReadyAddresses());
        EnvVar advertised = Rendered.env(Rendered.container(workers.getSpec().getTemplate()), "SLUICE_WORKER_ADVERTISED_HOST");
        assertEquals("$(SLUICE_WORKER_ID).sluice-worker.sluice.svc.cluster.local", advertised.getValue());
        String drain = String.join(" ", Rendered.container(workers.getSpec().getTemplate()).getLifecycle().getPreStop().getExec().getCommand());
        assertTrue(drain.contains("--cacert \"${SLUICE_TLS_CA}\"") && drain.contains("https://${SLUICE_WORKER_ADVERTISED_HOST}:"
                + Apps.WORKER.httpPort() + "/api/drain") && !drain.contains("http://"), drain);
    }

    @Test
    void incompleteSettingsAreRefused() {
        refused("tls.enabled needs tls.existingSecret", "tls.enabled=true");
        refused("set either tls.existingSecret or tls.certManager.enabled, not both",
                "tls.enabled=true", "tls.existingSecret=x", "tls.certManager.enabled=true", "tls.certManager.issuerRef.name=ca");
        refused("tls.certManager.issuerRef.name", "tls.enabled=true", "tls.certManager.enabled=true");
        refused("tls.certManager.duration", "tls.enabled=true", "tls.certManager.enabled=true",
                "tls.certManager.issuerRef.name=ca", "tls.certManager.duration=90 days");
    }

    private static void refused(String fragment, String... values) {
        String[] args = Stream.of(values).flatMap(v -> Stream.of("--set", v)).toArray(String[]::new);
        Tools.Result r = Tools.helmTemplate("sluice", "sluice", args);
        assertFalse(r.ok(), "accepted: " + List.of(values));
        assertTrue(r.stderr().contains(fragment), "the error does not say '" + fragment + "':\n" + r.stderr());
    }
}
