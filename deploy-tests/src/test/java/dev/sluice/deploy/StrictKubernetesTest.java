package dev.sluice.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parser the other tests rely on is as strict as they claim. */
class StrictKubernetesTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: d
            spec:
              replicas: 2
              selector:
                matchLabels: {app: d}
              template:
                metadata:
                  labels: {app: d}
                spec:
                  containers:
                    - name: c
                      image: i
                      env:
                        - name: A
                          value: "8"
            """;

    @Test
    void aValidObjectParses() {
        Deployment d = (Deployment) StrictKubernetes.parseAll(DEPLOYMENT).get(0);
        assertEquals(2, d.getSpec().getReplicas());
        assertTrue(d.getSpec().getAdditionalProperties().isEmpty());
    }

    @Test
    void anUnknownFieldFails() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> StrictKubernetes.parseAll(DEPLOYMENT.replace("  replicas: 2", "  replica: 2")));
        assertTrue(e.getMessage().contains("replica") && e.getMessage().contains("Deployment d"), e.getMessage());
        e = assertThrows(AssertionError.class,
                () -> StrictKubernetes.parseAll(DEPLOYMENT.replace("image: i", "image: i\n                  imagePullPolicyy: Always")));
        assertTrue(e.getMessage().contains("imagePullPolicyy"), e.getMessage());
    }

    @Test
    void aWrongTypeFails() {
        assertThrows(AssertionError.class, () -> StrictKubernetes.parseAll(DEPLOYMENT.replace("replicas: 2", "replicas: \"2\"")));
        assertThrows(AssertionError.class, () -> StrictKubernetes.parseAll(DEPLOYMENT.replace("value: \"8\"", "value: 8")));
    }

    @Test
    void anUnexpectedKindOrVersionFails() {
        assertThrows(AssertionError.class, () -> StrictKubernetes.parseAll(DEPLOYMENT.replace("apps/v1", "extensions/v1beta1")));
        assertThrows(AssertionError.class, () -> StrictKubernetes.parseAll(DEPLOYMENT.replace("kind: Deployment", "kind: DaemonSet")));
    }

    @Test
    void emptyDocumentsAreSkipped() {
        assertEquals(List.of("Deployment/d"), Rendered.of("---\n# a comment\n---\n" + DEPLOYMENT + "---\n").names());
    }
}
