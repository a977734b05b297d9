package dev.sluice.coordinator.cluster;

import dev.sluice.protocol.BlocksProcessed;
import dev.sluice.protocol.Peers;
import dev.sluice.protocol.RateLimit;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.Unassign;
import dev.sluice.protocol.RunningSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The attached receivers and which of them run each receiver-based source. A source that
 * one receiver runs (a socket, a custom receiver) waits for the next receiver to attach
 * and moves when its receiver goes; a source every receiver runs (HTTP ingest) is
 * started on each receiver that attaches.
 *
 * <p>A receiver that attaches names the sources it runs already (it re-attaches, for instance
 * to a coordinator that restarted): they count as running on it, so a one-receiver source it
 * runs is not started on another receiver too, and it is not sent them again. Every receiver
 * is sent the addresses of the others (its peers, for replicas) when it attaches and whenever
 * a receiver comes or goes. Listeners learn of every receiver that goes away
 * ({@link #onDeparture}), so that the blocks it stored can move to their replicas.
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
    private final List<Consumer<Receiver>> departureListeners = new CopyOnWriteArrayList<>();

    /** Attaches a receiver that runs no source yet and gives it the sources it should run. */
    public synchronized Receiver attach(String id, String address, MessageChannel<ReceiverCommand> channel) {
        return attach(id, address, List.of(), channel);
    }

    /**
     * Attaches a receiver that runs {@code running} already, tells it its peers, and gives it
     * the other sources it should run. An earlier attachment of the same id is replaced, and
     * counts as gone.
     */
    public synchronized Receiver attach(String id, String address, List<RunningSource> running,
            MessageChannel<ReceiverCommand> channel) {
        Receiver previous = receivers.remove(id);
        if (previous != null) {
            LOG.info(() -> "receiver " + id + " attached again (at " + address + "); its attachment at "
                    + previous.address() + " counts as gone");
            // It may have restarted and lost what it held: its blocks move to their replicas (harmless
            // if it did not: it reports them again, and they move back).
            departed(previous);
        }
        Receiver r = new Receiver(id, address, channel);
        receivers.put(id, r);
        LOG.info(() -> "receiver " + id + " at " + address + " attached"
                + (running.isEmpty() ? "" : ", running " + running.size() + " sources already"));
        for (RunningSource s : running) {
            adopt(r, key(s.getJob(), s.getNode()));
        }
        sendPeers();
        assignWaiting();
        return r;
    }

    /**
     * Detaches {@code receiver}; the sources only it ran move to the remaining receivers.
     * Returns whether it was attached: a receiver that attached again meanwhile is not detached.
     */
    public synchronized boolean detach(Receiver receiver) {
        boolean current = receivers.get(receiver.id()) == receiver;
        if (current) {
            receivers.remove(receiver.id());
            departed(receiver);
            sendPeers();
        }
        LOG.info(() -> "receiver " + receiver.id() + " detached" + (current ? "" : " (it had attached again)"));
        assignWaiting();
        return current;
    }

    /**
     * Calls {@code listener} with every receiver that goes away: its attach stream ended, or
     * it attached again (it may have restarted). Called under the registry's lock, before the
     * sources it ran move and before the receiver that attached again hears anything.
     */
    public void onDeparture(Consumer<Receiver> listener) {
        departureListeners.add(listener);
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

    /** Forgets the sources of {@code job} and tells every receiver to stop running them. */
    public synchronized void release(String job) {
        sources.values().removeIf(s -> s.assignment().getJob().equals(job));
        ReceiverCommand unassign = ReceiverCommand.newBuilder().setUnassign(Unassign.newBuilder().setJob(job)).build();
        receivers.values().forEach(r -> r.channel.send(unassign));
        for (Receiver r : receivers.values()) {
            synchronized (r) {
                // Only this job's: a receiver may run sources of jobs this coordinator has not started yet.
                r.sources.removeIf(k -> isOf(k, job));
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

    /** Counts {@code key}, which {@code r} said it runs, as running on it. */
    private void adopt(Receiver r, String key) {
        Source source = sources.get(key);
        List<Receiver> others = runningOf(key);
        if (source != null && !source.everywhere() && !others.isEmpty()) {
            // This coordinator assigned it elsewhere before the receiver that ran it came back.
            LOG.warning(() -> "receiver " + r.id() + " runs source " + key + ", which receiver " + others.get(0).id()
                    + " was given meanwhile: both run it now");
        }
        synchronized (r) {
            r.sources.add(key);
        }
        LOG.info(() -> "source " + key + " stays on receiver " + r.id() + ", which runs it"
                + (source == null ? " (no job here needs it yet)" : ""));
        Double rate = rates.get(key);
        if (rate != null && source != null) {
            limit(source.assignment().getJob(), source.assignment().getNode(), rate);
        }
    }

    private void departed(Receiver gone) {
        for (Consumer<Receiver> listener : departureListeners) {
            try {
                listener.accept(gone);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a departure listener failed for receiver " + gone.id(), e);
            }
        }
    }

    /** Sends every receiver the addresses of the others. */
    private void sendPeers() {
        for (Receiver r : receivers.values()) {
            Peers.Builder peers = Peers.newBuilder();
            for (Receiver other : receivers.values()) {
                if (other != r && !other.address().equals(r.address())) {
                    peers.addAddresses(other.address());
                }
            }
            r.channel.send(ReceiverCommand.newBuilder().setPeers(peers).build());
        }
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

    private static boolean isOf(String key, String job) {
        return key.startsWith(job + "/") && key.substring(job.length() + 1).matches("\\d+");
    }
}
