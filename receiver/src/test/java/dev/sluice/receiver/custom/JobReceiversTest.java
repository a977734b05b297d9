package dev.sluice.receiver.custom;

import dev.sluice.api.JobArgs;
import dev.sluice.engine.graph.GraphBuilder;
import dev.sluice.engine.graph.JobGraph;
import dev.sluice.engine.graph.ReceiverSourceNode;
import dev.sluice.engine.job.JobCatalog;
import dev.sluice.protocol.JobDefinition;
import dev.sluice.receiver.testjobs.SequenceReceiverJob;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobReceiversTest {

    private final JobReceivers receivers = new JobReceivers(JobCatalog::load);
    private final Map<String, String> args = Map.of("count", "10");
    private final String fingerprint = GraphBuilder.define(new SequenceReceiverJob(), JobArgs.of(args),
            new PrintStream(OutputStream.nullOutputStream())).fingerprint();

    private JobDefinition definition(String fp) {
        return JobDefinition.newBuilder().setJob(SequenceReceiverJob.NAME).putAllArgs(args).setFingerprint(fp).build();
    }

    @Test
    void definesTheJobAndTakesTheReceiverOfTheNode() throws Exception {
        assertInstanceOf(SequenceReceiverJob.SequenceReceiver.class,
                receivers.resolve(SequenceReceiverJob.NAME, 0, definition(fingerprint)));
    }

    @Test
    void refusesAGraphWithAnotherFingerprintNamingBoth() {
        ReceiverDefinitionException e = assertThrows(ReceiverDefinitionException.class,
                () -> receivers.resolve(SequenceReceiverJob.NAME, 0, definition("0123456789abcdef")));
        assertTrue(e.getMessage().contains(fingerprint) && e.getMessage().contains("0123456789abcdef"), e.getMessage());
    }

    @Test
    void refusesNodesThatAreNoCustomSourceAndUnknownJobs() {
        JobGraph g = GraphBuilder.define(new SequenceReceiverJob(), JobArgs.of(args),
                new PrintStream(OutputStream.nullOutputStream()));
        assertTrue(g.node(0) instanceof ReceiverSourceNode);
        int last = g.nodes().size() - 1;
        if (last > 0) {
            assertTrue(assertThrows(ReceiverDefinitionException.class,
                    () -> receivers.resolve(SequenceReceiverJob.NAME, last, definition(fingerprint)))
                    .getMessage().contains("not a receiverStream"));
        }
        assertTrue(assertThrows(ReceiverDefinitionException.class,
                () -> receivers.resolve(SequenceReceiverJob.NAME, 99, definition(fingerprint)))
                .getMessage().contains("no node 99"));
        assertThrows(ReceiverDefinitionException.class, () -> receivers.resolve("no-such-job", 0,
                JobDefinition.newBuilder().setJob("no-such-job").setFingerprint("x").build()));
    }
}
