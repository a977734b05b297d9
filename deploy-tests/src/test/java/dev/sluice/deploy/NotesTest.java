package dev.sluice.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * NOTES.txt, which `helm template` does not render and `helm install --dry-run` only renders
 * with a cluster: a copy of the chart renders it through `tpl` into a ConfigMap instead.
 */
class NotesTest {

    private static String notes(Path tmp, String release, String namespace, String... extra) throws IOException {
        Path chart = tmp.resolve("chart");
        try (Stream<Path> files = Files.walk(Tools.chart())) {
            for (Path from : files.toList()) {
                Path to = chart.resolve(Tools.chart().relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to);
                }
            }
        }
        Files.move(chart.resolve("templates/NOTES.txt"), chart.resolve("notes.tpl"));
        Files.writeString(chart.resolve("templates/notes-test.yaml"), """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: notes
                data:
                  notes: {{ tpl (.Files.Get "notes.tpl") . | toJson }}
                """);
        List<String> command = new ArrayList<>(List.of(Tools.helm().toString(), "template", release, chart.toString(),
                "--namespace", namespace, "--show-only", "templates/notes-test.yaml"));
        command.addAll(List.of(extra));
        String yaml = Tools.run(command).orFail().stdout();
        return ((ConfigMap) StrictKubernetes.parseAll(yaml).get(0)).getData().get("notes");
    }

    @Test
    void defaultNotesShowHowToReachTheApiAndScale(@TempDir Path tmp) throws IOException {
        String notes = notes(tmp, "sluice", "sluice");
        assertTrue(notes.contains("kubectl --namespace sluice port-forward svc/sluice-coordinator 8080:8080"), notes);
        assertTrue(notes.contains("curl localhost:8080/api/jobs\n"), notes);
        assertTrue(notes.contains("kubectl --namespace sluice scale deployment/sluice-worker --replicas=N"), notes);
        assertTrue(notes.contains("kubectl --namespace sluice get secret sluice-token"), notes);
        assertTrue(notes.contains("needs ReadWriteMany storage"), notes);
        assertFalse(notes.contains("<no value>"), notes);
    }

    @Test
    void withTlsTheNotesUseHttpsTrustingTheClusterCa(@TempDir Path tmp) throws IOException {
        String notes = notes(tmp, "sluice", "sluice", "--set", "tls.enabled=true", "--set", "tls.existingSecret=my-tls",
                "--set", "job.args.source=http:lines");
        assertTrue(notes.contains("kubectl --namespace sluice get secret my-tls -o jsonpath='{.data.ca\\.crt}' | base64 -d > sluice-ca.crt"), notes);
        assertTrue(notes.contains("curl --cacert sluice-ca.crt --resolve sluice-coordinator:8080:127.0.0.1 https://sluice-coordinator:8080/api/jobs\n"), notes);
        assertTrue(notes.contains("curl --cacert sluice-ca.crt --resolve sluice-receiver:8090:127.0.0.1 -fsS -X POST"), notes);
        assertTrue(notes.contains("https://sluice-receiver:8090/api/ingest/lines"), notes);
        assertFalse(notes.contains("curl localhost"), notes);
    }

    @Test
    void notesNameEveryPool(@TempDir Path tmp) throws IOException {
        String notes = notes(tmp, "r", "prod-ns", "-f", Tools.testValues("values-pools.yaml").toString());
        assertTrue(notes.contains("scale deployment/prod-worker --replicas=N"), notes);
        assertTrue(notes.contains("scale deployment/prod-worker-gpu --replicas=N"), notes);
        assertTrue(notes.contains("pool \"reduce\" (reduce,state): scaled by the coordinator between 2 and 8"), notes);
        assertTrue(notes.contains("localhost:8090/api/ingest/lines"), notes);
        assertFalse(notes.contains("ReadWriteMany"), notes);
        assertFalse(notes.contains("<no value>"), notes);
    }
}
