package dev.sluice.engine.job;

import dev.sluice.api.StreamingJob;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The jobs on the classpath, found with {@link ServiceLoader}, by name. */
public final class JobCatalog {

    private final Map<String, StreamingJob> jobs = new TreeMap<>();

    private JobCatalog() {
    }

    /** Loads every {@link StreamingJob} the class loader of this class can see. */
    public static JobCatalog load() {
        JobCatalog catalog = new JobCatalog();
        for (StreamingJob job : ServiceLoader.load(StreamingJob.class, JobCatalog.class.getClassLoader())) {
            StreamingJob clash = catalog.jobs.putIfAbsent(job.name(), job);
            if (clash != null) {
                throw new IllegalStateException("two jobs are named '" + job.name() + "': "
                        + clash.getClass().getName() + " and " + job.getClass().getName());
            }
        }
        return catalog;
    }

    /**
     * The job named {@code name}.
     *
     * @throws UnknownJobException naming the jobs that do exist
     */
    public StreamingJob find(String name) {
        StreamingJob job = jobs.get(name);
        if (job == null) {
            throw new UnknownJobException(name, jobs.keySet());
        }
        return job;
    }

    /** The names of all jobs, sorted. */
    public java.util.Set<String> names() {
        return jobs.keySet();
    }
}
