package dev.sluice.receiver.custom;

import dev.sluice.api.JobArgs;
import dev.sluice.api.Receiver;
import dev.sluice.api.StreamingJob;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.Node;
import dev.sluice.engine.graph.ReceiverSourceNode;
import dev.sluice.engine.job.JobCatalog;
import dev.sluice.protocol.JobDefinition;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Finds a custom source's {@link Receiver} the way workers find operators: closures are never
 * shipped, so the receiver process defines the job itself, from the name and arguments in
 * the assignment's {@link JobDefinition}, checks that its graph has the coordinator's
 * fingerprint, and takes the {@link ReceiverSourceNode}'s instance from its own graph.
 */
public final class JobReceivers implements ReceiverResolver {

    /** Jobs print on the process that finishes batches; never here. */
    private static final PrintStream NO_OUTPUT = new PrintStream(OutputStream.nullOutputStream(), false,
            StandardCharsets.UTF_8);

    private final Supplier<JobCatalog> catalog;
    private volatile JobCatalog loaded;

    /** Resolves from the jobs on the classpath, loaded on first use. */
    public JobReceivers() {
        this(JobCatalog::load);
    }

    /** Resolves from the jobs {@code catalog} gives, asked once, on first use. */
    public JobReceivers(Supplier<JobCatalog> catalog) {
        this.catalog = catalog;
    }

    @Override
    public Receiver<Object> resolve(String job, int node, JobDefinition definition) throws ReceiverDefinitionException {
        String name = definition.getJob().isEmpty() ? job : definition.getJob();
        JobGraph graph;
        try {
            StreamingJob found = catalog().find(name);
            graph = GraphBuilder.define(found, JobArgs.of(definition.getArgsMap()), NO_OUTPUT);
        } catch (RuntimeException e) {
            throw new ReceiverDefinitionException("cannot define job " + name + " on this receiver: " + e.getMessage(), e);
        }
        if (!graph.fingerprint().equals(definition.getFingerprint())) {
            throw new ReceiverDefinitionException("job " + name + " defines graph " + graph.fingerprint()
                    + " on this receiver but " + definition.getFingerprint()
                    + " on the coordinator: the receiver and the coordinator run different builds of the job");
        }
        if (node < 0 || node >= graph.nodes().size()) {
            throw new ReceiverDefinitionException("job " + name + " has no node " + node + " (it has "
                    + graph.nodes().size() + ")");
        }
        Node n = graph.node(node);
        if (!(n instanceof ReceiverSourceNode source)) {
            throw new ReceiverDefinitionException("node " + node + " of job " + name + " is " + n.describe()
                    + ", not a receiverStream");
        }
        return source.receiver();
    }

    private JobCatalog catalog() {
        JobCatalog c = loaded;
        if (c == null) {
            synchronized (this) {
                if (loaded == null) {
                    loaded = catalog.get();
                }
                c = loaded;
            }
        }
        return c;
    }
}
