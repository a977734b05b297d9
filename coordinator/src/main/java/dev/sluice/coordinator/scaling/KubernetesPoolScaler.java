package dev.sluice.coordinator.scaling;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.util.function.Supplier;

/**
 * Scales worker pools through the Kubernetes API: reads a pool's Deployment and sets its
 * {@code spec.replicas} with a JSON merge patch.
 *
 * <p>A merge patch rather than fabric8's {@code scale(n)}, because {@code scale(n)} replaces
 * the scale subresource (verb {@code update}), which the chart's Role does not grant; it
 * grants {@code get}, {@code list} and {@code patch} on {@code deployments} and
 * {@code deployments/scale}, and patching the Deployment needs no more.
 */
public final class KubernetesPoolScaler implements PoolScaler {

    private static final String RESOURCE = "deployments";
    private static final String API_GROUP = "apps";

    private final KubernetesClient client;
    private final String namespace;

    /**
     * @param client    a client with the coordinator's credentials (in a pod, its ServiceAccount)
     * @param namespace the namespace of the worker Deployments
     */
    public KubernetesPoolScaler(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public int replicas(WorkerPool pool) {
        Deployment d = call("get", pool, () -> deployment(pool).get());
        if (d == null) {
            throw new UnknownDeploymentException(pool, namespace);
        }
        return specReplicas(d);
    }

    @Override
    public int scale(WorkerPool pool, int replicas) {
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas must be 0 or more, got " + replicas);
        }
        String patch = "{\"spec\":{\"replicas\":" + replicas + "}}";
        Deployment d = call("patch", pool, () -> deployment(pool).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
        return specReplicas(d);
    }

    private RollableScalableResource<Deployment> deployment(WorkerPool pool) {
        return client.apps().deployments().inNamespace(namespace).withName(pool.deployment());
    }

    // Kubernetes fills in 1 when a Deployment leaves replicas out (as the chart does for autoscaled pools).
    private static int specReplicas(Deployment d) {
        Integer r = d.getSpec() == null ? null : d.getSpec().getReplicas();
        return r == null ? 1 : r;
    }

    private <T> T call(String verb, WorkerPool pool, Supplier<T> call) {
        try {
            return call.get();
        } catch (KubernetesClientException e) {
            int code = e.getCode();
            String reason = reason(e);
            if (code == 403 || code == 401) {
                throw new ScalingForbiddenException(verb, RESOURCE, API_GROUP, pool.deployment(), namespace, code, reason);
            }
            if (code == 404) {
                throw new UnknownDeploymentException(pool, namespace);
            }
            String answered = code > 0 ? "Kubernetes answered " + code + ": " + reason
                    : "the Kubernetes API at " + client.getMasterUrl() + " could not be reached: " + reason;
            throw new ScalingException("worker pool '" + pool.name() + "': could not " + verb + " deployment '"
                    + pool.deployment() + "' in namespace '" + namespace + "' (" + answered + ")", e);
        }
    }

    private static String reason(KubernetesClientException e) {
        Status s = e.getStatus();
        if (s != null && s.getMessage() != null && !s.getMessage().isBlank()) {
            return s.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : root.toString();
    }
}
