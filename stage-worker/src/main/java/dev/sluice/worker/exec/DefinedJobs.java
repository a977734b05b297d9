package dev.sluice.worker.exec;

import dev.sluice.api.JobArgs;
import dev.sluice.engine.cache.CacheStore;
import dev.sluice.engine.exec.TaskRunner;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.job.JobCatalog;
import dev.sluice.engine.shuffle.ShuffleStore;

import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The jobs this worker has defined itself, from the name and arguments the coordinator
 * sent. Closures are never shipped: the worker runs {@code define} on its own classpath
 * and gets the same graph, which the fingerprint on every task verifies.
 */
public final class DefinedJobs {

    private static final Logger LOG = Logger.getLogger(DefinedJobs.class.getName());

    private final JobCatalog catalog;
    private final PrintStream out;
    private final ShuffleStore shuffles;
    private final CacheStore caches;
    private final Map<String, TaskRunner> runners = new ConcurrentHashMap<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();

    public DefinedJobs(JobCatalog catalog, PrintStream out, ShuffleStore shuffles, CacheStore caches) {
        this.catalog = catalog;
        this.out = out;
        this.shuffles = shuffles;
        this.caches = caches;
    }

    /** Defines {@code job} with {@code args}, and says whether the graph matches {@code expectedFingerprint}. */
    public boolean define(String job, Map<String, String> args, String expectedFingerprint) {
        try {
            TaskRunner runner = new TaskRunner(GraphBuilder.define(catalog.find(job), JobArgs.of(args), out), shuffles, caches);
            runners.put(job, runner);
            errors.remove(job);
            String actual = runner.graph().fingerprint();
            if (!actual.equals(expectedFingerprint)) {
                LOG.severe(() -> "job " + job + " defines graph " + actual + " here but " + expectedFingerprint
                        + " on the coordinator: its tasks will be refused");
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            runners.remove(job);
            errors.put(job, e.getMessage());
            LOG.log(Level.SEVERE, "cannot define job " + job + ": " + e.getMessage(), e);
            return false;
        }
    }

    /** Drops what no batch after {@code doneTimeMs} of {@code job} can read. */
    public void batchDone(String job, long doneTimeMs) {
        shuffles.dropThrough(job, doneTimeMs);
        TaskRunner runner = runners.get(job);
        if (runner != null) {
            caches.dropExpired(job, doneTimeMs, runner.plan().retentionMs());
        }
    }

    /**
     * The runner of {@code job}.
     *
     * @throws IllegalStateException saying why the job is not defined here
     */
    public TaskRunner runner(String job) {
        TaskRunner runner = runners.get(job);
        if (runner == null) {
            String why = errors.get(job);
            throw new IllegalStateException("job " + job + " is not defined on this worker"
                    + (why == null ? "" : ": " + why));
        }
        return runner;
    }
}
