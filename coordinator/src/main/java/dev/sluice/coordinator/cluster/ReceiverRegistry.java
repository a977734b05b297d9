package dev.sluice.coordinator.cluster;

import dev.sluice.protocol.BlocksProcessed;
import dev.sluice.protocol.RateLimit;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverCommand;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The attached receivers and which of them run each receiver-based source. A source that
 * one receiver runs (a socket, a custom receiver) waits for the next receiver to attach
 * and moves when its receiver goes; a source every receiver runs (HTTP ingest) is
 * started on each receiver that attaches.
 */
public final class ReceiverRegistry {

    private static final Logger LOG = Logger.getLogger(ReceiverRegistry.class.getName());

    /** An attached receiver. */
    public static final class Receiver {
        private final String id;
        private final String address;
        private final MessageChannel<ReceiverCommand> channel;
        private final Set<String> sources = new LinkedHashSet<>();

        Receiver(String id, String address, MessageChannel<ReceiverCommand> channel) {
            this.id = id;
            this.address = address;
            this.channel = channel;
        }

        public String id() {
            return id;
        }

        public String address() {
            return address;
        }

        /** The sources it runs, as "job/node" names. */
        public synchronized List<String> sources() {
            return List.copyOf(sources);
        }
    }

    /** A source that needs receivers, and whether every receiver runs it. */
    private record Source(ReceiverAssignment assignment, boolean everywhere) {
    }

    private final Map<String, Receiver> receivers = new LinkedHashMap<>();
    private final Map<String, Source> sources = new LinkedHashMap<>();
    private final Map<String, Double> rates = new LinkedHashMap<>();

    /** Attaches a receiver and gives it the sources it should run. */
    public synchronized Receiver attach(String id, String address, MessageChannel<ReceiverCommand> channel) {
        Receiver previous = receivers.remove(id);
        if (previous != null) {
            detach(previous);
        }
        Receiver r = new Receiver(id, address, channel);
        receivers.put(id, r);
        LOG.info(() -> "receiver " + id + " at " + address + " attached");
        assignWaiting();
        return r;
    }

    /** Detaches {@code receiver}; the sources only it ran move to the remaining receivers. */
    public synchronized void detach(Receiver receiver) {
        if (receivers.get(receiver.id()) == receiver) {
            receivers.remove(receiver.id());
        }
        LOG.info(() -> "receiver " + receiver.id() + " detached");
        assignWaiting();
    }

    /**
     * Declares that a source needs receivers.
     *
     * @param everywhere whether every receiver runs it, rather than exactly one
     */
    public synchronized void require(ReceiverAssignment source, boolean everywhere) {
        sources.put(key(source.getJob(), source.getNode()), new Source(source, everywhere));
        assignWaiting();
    }

    /** Forgets the sources of {@code job}. */
    public synchronized void release(String job) {
        sources.values().removeIf(s -> s.assignment().getJob().equals(job));
        for (Receiver r : receivers.values()) {
            synchronized (r) {
                r.sources.removeIf(k -> !sources.containsKey(k));
            }
        }
    }

    /** Sets the total rate of a source, shared evenly by the receivers running it; 0 lifts the limit. */
    public synchronized void limit(String job, int node, double recordsPerSecond) {
        String key = key(job, node);
        rates.put(key, recordsPerSecond);
        List<Receiver> running = runningOf(key);
        if (running.isEmpty()) {
            return;
        }
        RateLimit share = RateLimit.newBuilder().setJob(job).setNode(node)
                .setRecordsPerSecond(recordsPerSecond / running.size()).build();
        running.forEach(r -> r.channel.send(ReceiverCommand.newBuilder().setRate(share).build()));
    }

    /** Tells every receiver that these blocks of a source are processed. */
    public synchronized void processed(String job, int node, List<String> blockIds) {
        ReceiverCommand done = ReceiverCommand.newBuilder().setProcessed(BlocksProcessed.newBuilder()
                .setJob(job).setNode(node).addAllBlockIds(blockIds)).build();
        receivers.values().forEach(r -> r.channel.send(done));
    }

    /** The attached receivers. */
    public synchronized List<Receiver> list() {
        return List.copyOf(receivers.values());
    }

    private List<Receiver> runningOf(String key) {
        List<Receiver> running = new ArrayList<>();
        for (Receiver r : receivers.values()) {
            synchronized (r) {
                if (r.sources.contains(key)) {
                    running.add(r);
                }
            }
        }
        return running;
    }

    private void assignWaiting() {
        if (receivers.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Source> e : sources.entrySet()) {
            String key = e.getKey();
            Source source = e.getValue();
            List<Receiver> running = runningOf(key);
            if (source.everywhere()) {
                for (Receiver r : receivers.values()) {
                    if (!running.contains(r)) {
                        assign(r, key, source.assignment());
                    }
                }
            } else if (running.isEmpty()) {
                Receiver r = receivers.values().stream().min(Comparator.comparingInt(x -> x.sources().size())).orElseThrow();
                assign(r, key, source.assignment());
            }
        }
    }

    private void assign(Receiver r, String key, ReceiverAssignment assignment) {
        synchronized (r) {
            r.sources.add(key);
        }
        r.channel.send(ReceiverCommand.newBuilder().setAssign(assignment).build());
        Double rate = rates.get(key);
        if (rate != null) {
            limit(assignment.getJob(), assignment.getNode(), rate);
        }
        LOG.info(() -> "source " + key + " assigned to receiver " + r.id());
    }

    private static String key(String job, int node) {
        return job + "/" + node;
    }
}
