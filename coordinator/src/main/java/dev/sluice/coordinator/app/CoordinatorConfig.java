package dev.sluice.coordinator.app;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The coordinator's settings ({@code sluice.*}). */
@ConfigMapping(prefix = "sluice")
public interface CoordinatorConfig {

    /** The job to start with the coordinator, if any. */
    Job job();

    /** What every process of the cluster shares. */
    Cluster cluster();

    interface Cluster {
        /**
         * The token every gRPC call between Sluice's processes and every REST mutation must
         * carry ({@code Authorization: Bearer <token>}); none checked when absent.
         */
        Optional<String> token();

        /**
         * How far ahead of the coordinator's clock a time a process sends (a block's receive
         * time, a task's batch time) may be; later ones are refused.
         */
        @WithDefault("60s")
        Duration maxClockSkew();

        /**
         * Whether REST reads ({@code GET /api/...}) are open to callers without the token;
         * with false they need it too. Health, metrics and the dashboard's pages stay open.
         */
        @WithDefault("true")
        boolean openReads();
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

    Heartbeat heartbeat();

    Scheduler scheduler();

    interface Scheduler {
        /**
         * The most task slots a worker is given: one that advertises more gets this many, so a
         * misconfigured or hostile worker cannot draw every task to itself.
         */
        @WithDefault("256")
        int maxSlotsPerWorker();

        /**
         * How many consecutive batches of a job start each stage under the same placement,
         * with one message per worker instead of one per task (Drizzle's group scheduling);
         * load is rebalanced between groups. 1 turns it off: each task takes a free slot.
         */
        @WithDefault("10")
        int groupSize();
    }

    Task task();

    Receiver receiver();

    Backpressure backpressure();

    SpeculationSettings speculation();

    /** The worker pools the coordinator scales through the Kubernetes API, and when it scales them. */
    Autoscale autoscale();

    /** How many recent batches each job keeps for the REST API. */
    @WithDefault("1000")
    int batchHistory();

    interface Job {
        /** The name of a {@code StreamingJob} on the classpath. */
        Optional<String> name();

        /** Its {@code key=value} arguments ({@code sluice.job.args.<key>=<value>}). */
        Map<String, String> args();

        /** What a failed batch (a task failed past its retries) does to its job. */
        @WithDefault("continue")
        OnBatchFailure onBatchFailure();

        /**
         * How many batches may run at once: the next batch's tasks start while earlier ones
         * still run, and outputs still finish, state is still computed, and batches still end
         * in batch order. 1, the default, runs one batch at a time: overlap is opt-in until a
         * hang seen once after a coordinator restart with 2 (ChaosIT) is understood.
         */
        @WithDefault("1")
        int concurrentBatches();
    }

    /** What a failed batch does to its job. */
    enum OnBatchFailure {
        /** The job goes on with the next batch; the failed one shows in REST and metrics. */
        CONTINUE,
        /** The job stops gracefully. */
        STOP
    }

    interface Heartbeat {
        /** How often workers send a heartbeat. */
        @WithDefault("500ms")
        Duration interval();

        /** How many heartbeats a worker may miss before it is declared lost. */
        @WithDefault("3")
        int misses();
    }

    interface Task {
        /** How many times a task may fail before its batch fails. */
        @WithDefault("4")
        int maxFailures();

        /** How long a task may wait for input that is unavailable (a receiver restarting) before its batch fails. */
        @WithDefault("60s")
        Duration inputWait();
    }

    interface Receiver {
        /** A static limit per receiver for each source, records per second; 0 for none. */
        @WithDefault("0")
        double maxRate();

        /** Whether every receiver-based source logs blocks before reporting them (HTTP ingest always does). */
        @WithDefault("false")
        boolean writeAheadLog();
    }

    interface SpeculationSettings {
        /** Whether stragglers get a copy on another worker. */
        @WithDefault("true")
        boolean enabled();

        /** The fraction of a stage's tasks that must have finished first. */
        @WithDefault("0.75")
        double quantile();

        /** How many times the median of the finished tasks a task must have run. */
        @WithDefault("1.5")
        double multiplier();

        /** How long a task must have run at least. */
        @WithDefault("100ms")
        Duration minimum();
    }

    interface Backpressure {
        /** Whether receivers' rates follow what the job can process (Spark's PID estimator). */
        @WithDefault("true")
        boolean enabled();

        /** The rate each receiver-based source starts at, records per second, before the first measurement; 0 for none. */
        @WithDefault("0")
        double initialRate();
    }

    /**
     * {@code sluice.autoscale.*}. The Helm chart writes the namespace and one entry per pool
     * whose {@code autoscale.enabled} is set; the rest has defaults.
     */
    interface Autoscale {
        /**
         * The namespace of the worker Deployments. When set, or when the coordinator runs in a
         * pod (the namespace of its ServiceAccount), pools are scaled through the Kubernetes API.
         */
        Optional<String> namespace();

        /** Whether the coordinator scales the pools by itself; when off they are only scaled over REST. */
        @WithDefault("true")
        boolean enabled();

        /** At or above this ratio of processing time to batch interval, pools scale out. */
        @WithDefault("0.9")
        double high();

        /** At or below this ratio, pools scale in by one worker. */
        @WithDefault("0.3")
        double low();

        /** After a change, how long before a pool scales out again. */
        @WithDefault("60s")
        Duration cooldownOut();

        /** After a change, how long before a pool scales in again. */
        @WithDefault("120s")
        Duration cooldownIn();

        /** How many completed batches each decision averages. */
        @WithDefault("5")
        int batches();

        /** The pools, by name ({@code sluice.autoscale.pools.<pool>.*}). */
        Map<String, Pool> pools();
    }

    interface Pool {
        /** The Deployment that runs the pool's workers, e.g. {@code sluice-worker}. */
        String deployment();

        /** The stages the pool runs: {@code all}, or a comma-separated list such as {@code reduce,state}. */
        @WithDefault("all")
        String stages();

        /** The fewest replicas. */
        @WithDefault("1")
        int min();

        /** The most replicas. */
        @WithDefault("4")
        int max();
    }
}
