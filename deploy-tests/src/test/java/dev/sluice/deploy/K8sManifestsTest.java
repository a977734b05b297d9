package dev.sluice.deploy;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * k8s/: the plain manifests are what the chart renders with its default values (release and
 * namespace "sluice"), less Helm's own labels and annotations and less the token Secret, which
 * a user creates (see k8s/README.md). `kubectl kustomize k8s/` is parsed strictly and compared
 * with the chart, object by object.
 *
 * <p>After changing the chart, regenerate them:
 * {@code mvn -o verify -pl deploy-tests -Dsluice.k8s.write=true}.
 */
class K8sManifestsTest {

    private static final String HEADER = """
            # Generated from helm/sluice with its default values (release "sluice", namespace "sluice")
            # by `mvn -o verify -pl deploy-tests -Dsluice.k8s.write=true`: change the chart, then regenerate.
            """;

    /** Files of the chart whose objects k8s/ does not carry. */
    private static final List<String> LEFT_OUT = List.of(
            // A fixed token in a repository is no secret: users create it (k8s/README.md).
            "secret.yaml");

    @Test
    void kustomizationRendersStrictlyAndMatchesTheChart() throws IOException {
        Map<String, String> generated = fromChart();
        if (Boolean.getBoolean("sluice.k8s.write")) {
            for (Map.Entry<String, String> e : generated.entrySet()) {
                Files.writeString(k8s().resolve(e.getKey()), e.getValue());
            }
        }
        String kustomization = Files.readString(k8s().resolve("kustomization.yaml"));
        for (String file : generated.keySet()) {
            assertTrue(kustomization.contains("- " + file), "k8s/kustomization.yaml does not list " + file);
        }

        Rendered plain = Rendered.of(Tools.run(List.of(Tools.kubectl().toString(), "kustomize", k8s().toString()))
                .orFail().stdout());
        plain.objects().forEach(o -> assertEquals("sluice", o instanceof Namespace ? o.getMetadata().getName()
                : o.getMetadata().getNamespace(), o.getKind() + "/" + o.getMetadata().getName()));
        Rendered fromChart = Rendered.of(String.join("---\n", generated.values()));

        Map<String, HasMetadata> expected = byName(fromChart.objects());
        Map<String, HasMetadata> actual = byName(plain.objects());
        actual.remove("Namespace/sluice");
        assertEquals(expected.keySet(), actual.keySet(), "objects of k8s/ vs the chart's; regenerate k8s/ (see the class comment)");
        for (String name : expected.keySet()) {
            assertEquals(expected.get(name), actual.get(name), name + " differs from the chart's; regenerate k8s/ (see the class comment)");
        }

        // Same checks as for the chart itself.
        ChartDefaultsTest.checkPortsAndProbes(plain);
        ChartDefaultsTest.checkServices(plain);
        ChartDefaultsTest.checkLockedDown(plain);
        ChartDefaultsTest.checkEnv(plain, java.util.Set.of());
    }

    @Test
    void theReadmeSaysHowToCreateTheTokenThePodsNeed() throws IOException {
        Rendered plain = Rendered.of(Tools.run(List.of(Tools.kubectl().toString(), "kustomize", k8s().toString()))
                .orFail().stdout());
        String readme = Files.readString(k8s().resolve("README.md"));
        plain.podTemplates().forEach((w, p) -> {
            EnvVar token = Rendered.env(Rendered.container(p), "SLUICE_CLUSTER_TOKEN");
            String secret = token.getValueFrom().getSecretKeyRef().getName();
            assertTrue(readme.contains("create secret generic " + secret + " "), "k8s/README.md must show how to create " + secret);
        });
    }

    private static Path k8s() {
        return Tools.repo().resolve("k8s");
    }

    private static Map<String, HasMetadata> byName(List<HasMetadata> objects) {
        Map<String, HasMetadata> map = new TreeMap<>();
        objects.forEach(o -> map.put(o.getKind() + "/" + o.getMetadata().getName(), o));
        return map;
    }

    /** k8s/ file name → content, from `helm template` with the default values. */
    static Map<String, String> fromChart() {
        String yaml = Tools.helmTemplate("sluice", "sluice").orFail().stdout();
        Map<String, List<String>> docs = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^---\\n# Source: sluice/templates/(\\S+)\\n").matcher(yaml);
        List<int[]> starts = new ArrayList<>();
        List<String> files = new ArrayList<>();
        while (m.find()) {
            starts.add(new int[] {m.start(), m.end()});
            files.add(m.group(1));
        }
        for (int i = 0; i < files.size(); i++) {
            int end = i + 1 < starts.size() ? starts.get(i + 1)[0] : yaml.length();
            if (!LEFT_OUT.contains(files.get(i))) {
                docs.computeIfAbsent(files.get(i), f -> new ArrayList<>()).add(plain(yaml.substring(starts.get(i)[1], end)));
            }
        }
        Map<String, String> out = new TreeMap<>();
        docs.forEach((file, list) -> out.put(file, HEADER + String.join("---\n", list)));
        return out;
    }

    /** One rendered object without what only Helm uses. */
    private static String plain(String doc) {
        List<String> kept = new ArrayList<>();
        for (String line : doc.split("\n", -1)) {
            String t = line.trim();
            if (t.equals("app.kubernetes.io/managed-by: Helm") || t.startsWith("helm.sh/chart:")
                    || t.startsWith("checksum/") || t.startsWith("# Restarts the")
                    || t.startsWith("helm.sh/resource-policy:") || t.startsWith("# `helm uninstall`")) {
                continue;
            }
            kept.add(line);
        }
        // Drop "annotations:" keys left empty.
        List<String> out = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            String line = kept.get(i);
            if (line.trim().equals("annotations:")) {
                int indent = line.indexOf('a');
                String next = i + 1 < kept.size() ? kept.get(i + 1) : "";
                int nextIndent = next.length() - next.stripLeading().length();
                if (next.isBlank() || nextIndent <= indent) {
                    continue;
                }
            }
            out.add(line);
        }
        String text = String.join("\n", out).strip();
        return text + "\n";
    }
}
