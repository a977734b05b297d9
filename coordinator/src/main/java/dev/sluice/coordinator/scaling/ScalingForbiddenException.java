package dev.sluice.coordinator.scaling;

/**
 * The Kubernetes API refused the coordinator a call on a pool's Deployment (403, or 401 when
 * it has no credentials). The message names the verb, the resource and the namespace, and the
 * RBAC rule that allows them.
 */
public class ScalingForbiddenException extends ScalingException {

    private final String verb;
    private final String resource;
    private final String namespace;

    /**
     * @param verb     the RBAC verb that was refused, e.g. {@code patch}
     * @param resource the resource, e.g. {@code deployments}
     * @param apiGroup the resource's API group, e.g. {@code apps}
     * @param name     the object's name
     * @param status   the HTTP status Kubernetes answered
     * @param reason   what Kubernetes said
     */
    public ScalingForbiddenException(String verb, String resource, String apiGroup, String name, String namespace,
                                     int status, String reason) {
        super(message(verb, resource, apiGroup, name, namespace, status, reason));
        this.verb = verb;
        this.resource = resource;
        this.namespace = namespace;
    }

    private static String message(String verb, String resource, String apiGroup, String name, String namespace,
                                  int status, String reason) {
        String what = "the coordinator may not " + verb + " " + resource + "." + apiGroup + " '" + name
                + "' in namespace '" + namespace + "'";
        String grant = "grant its ServiceAccount a Role with apiGroups [" + apiGroup + "], resources [deployments, "
                + "deployments/scale], verbs [get, list, patch] in namespace '" + namespace + "' (the Helm chart does "
                + "with rbac.create=true; by hand: kubectl -n " + namespace + " create role sluice-scaler "
                + "--verb=get,list,patch --resource=deployments.apps,deployments.apps/scale && kubectl -n " + namespace
                + " create rolebinding sluice-scaler --role=sluice-scaler --serviceaccount=" + namespace
                + ":<coordinator's service account>)";
        if (status == 401) {
            return what + ": Kubernetes did not accept its credentials (401: " + reason + "). Mount a ServiceAccount "
                    + "token into the coordinator's pod (automountServiceAccountToken: true) and " + grant;
        }
        return what + " (Kubernetes answered " + status + ": " + reason + "). To let it scale worker pools, " + grant;
    }

    /** The refused verb, e.g. {@code patch}. */
    public String verb() {
        return verb;
    }

    /** The resource, e.g. {@code deployments}. */
    public String resource() {
        return resource;
    }

    public String namespace() {
        return namespace;
    }
}
