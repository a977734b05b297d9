package dev.sluice.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/** A set of rendered objects, each parsed strictly, with the look-ups the tests need. */
record Rendered(String yaml, List<HasMetadata> objects) {

    static Rendered of(String yaml) {
        return new Rendered(yaml, StrictKubernetes.parseAll(yaml));
    }

    /** {@code helm template <release> helm/sluice --namespace <namespace> <extra...>}, which must succeed. */
    static Rendered helm(String release, String namespace, String... extra) {
        return of(Tools.helmTemplate(release, namespace, extra).orFail().stdout());
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
        return all(type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String name) {
        return find(type, name).orElseThrow(() -> new AssertionError(
                "no " + type.getSimpleName() + " named " + name + " among " + names()));
    }

    /** "Kind/name" of every object. */
    List<String> names() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).sorted().toList();
    }

    /** The pod template of every Deployment and StatefulSet, by workload name. */
    Map<String, PodTemplateSpec> podTemplates() {
        Map<String, PodTemplateSpec> pods = new LinkedHashMap<>();
        for (Deployment d : all(Deployment.class)) {
            pods.put(d.getMetadata().getName(), d.getSpec().getTemplate());
        }
        for (StatefulSet s : all(StatefulSet.class)) {
            pods.put(s.getMetadata().getName(), s.getSpec().getTemplate());
        }
        return pods;
    }

    /** The role of a pod template, from its app.kubernetes.io/component label. */
    static Apps app(PodTemplateSpec pod) {
        return Apps.ofComponent(pod.getMetadata().getLabels().get("app.kubernetes.io/component"));
    }

    /** The only container of a pod template. */
    static Container container(PodTemplateSpec pod) {
        List<Container> containers = pod.getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError("expected one container, got " + containers.size());
        }
        return containers.get(0);
    }

    /** An env var of a container. */
    static EnvVar env(Container c, String name) {
        return c.getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no env var " + name));
    }

    /** The application.properties of a ConfigMap, as the coordinator's properties loader reads it. */
    static Properties properties(ConfigMap cm) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(cm.getData().get("application.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }
}
