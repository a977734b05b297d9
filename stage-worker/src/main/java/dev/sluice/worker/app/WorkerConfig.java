package dev.sluice.worker.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** The stage-worker's settings ({@code sluice.*}). */
@ConfigMapping(prefix = "sluice")
public interface WorkerConfig {

    /** Where the coordinator's gRPC server listens. */
    Coordinator coordinator();

    Worker worker();

    /** What every process of the cluster shares. */
    Cluster cluster();

    interface Cluster {
        /**
         * The token every gRPC call between Sluice's processes and every REST mutation must
         * carry ({@code Authorization: Bearer <token>}); none checked when absent.
         */
        Optional<String> token();
    }

    /** TLS between the cluster's processes, read by {@code dev.sluice.protocol.tls.ClusterTls} (docs/security.md). */
    Tls tls();

    interface Tls {
        /** Serve gRPC and HTTP over TLS only, and dial peers over TLS. */
        @WithDefault("false")
        boolean enabled();

        /** The PEM certificate chain this process serves. */
        Optional<String> cert();

        /** Its PEM private key. */
        Optional<String> key();

        /** The PEM CA certificate(s) a peer's certificate must lead to. */
        Optional<String> ca();

        /** Whether a peer's certificate must name the host it is dialled by. */
        @WithDefault("true")
        boolean verifyHostname();
    }

    interface Coordinator {
        /** {@code host:port} of the coordinator's gRPC server. */
        @WithDefault("localhost:9090")
        String address();
    }

    interface Worker {
        /** A stable name for this worker; defaults to the host name and process id. */
        Optional<String> id();

        /** Task slots; defaults to the number of cores. */
        Optional<Integer> slots();

        /** The host name peers use to reach this worker's gRPC server. */
        @WithDefault("localhost")
        String advertisedHost();

        /** The worker pool it belongs to (a Deployment per pool on Kubernetes). */
        @WithDefault("default")
        String pool();

        /** Which stages it runs: {@code all}, or a comma-separated list of map, reduce, state. */
        @WithDefault("all")
        String stages();
    }
}
