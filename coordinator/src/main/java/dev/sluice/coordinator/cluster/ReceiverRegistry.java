package dev.sluice.coordinator.cluster;

import dev.sluice.protocol.ReceiverAssignment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The attached receivers and which of them runs each receiver-based source. A source
 * without a receiver waits for the next one to attach; the sources of a receiver that
 * goes away move to the others.
 */
public final class ReceiverRegistry {

    private static final Logger LOG = Logger.getLogger(ReceiverRegistry.class.getName());

    /** An attached receiver. */
    public static final class Receiver {
        private final String id;
        private final String address;
        private final MessageChannel<ReceiverAssignment> channel;
        private final List<ReceiverAssignment> sources = new ArrayList<>();

        Receiver(String id, String address, MessageChannel<ReceiverAssignment> channel) {
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
            return sources.stream().map(a -> a.getJob() + "/" + a.getNode()).toList();
        }
    }

    private final Map<String, Receiver> receivers = new LinkedHashMap<>();
    private final Map<String, ReceiverAssignment> sources = new LinkedHashMap<>();
    private final Map<String, Receiver> runBy = new LinkedHashMap<>();

    /** Attaches a receiver and gives it any source that has none. */
    public synchronized Receiver attach(String id, String address, MessageChannel<ReceiverAssignment> channel) {
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

    /** Detaches {@code receiver}; its sources move to the remaining receivers. */
    public synchronized void detach(Receiver receiver) {
        if (receivers.get(receiver.id()) == receiver) {
            receivers.remove(receiver.id());
        }
        runBy.values().removeIf(r -> r == receiver);
        LOG.info(() -> "receiver " + receiver.id() + " detached");
        assignWaiting();
    }

    /** Declares that source {@code node} of {@code job} needs a receiver. */
    public synchronized void require(ReceiverAssignment source) {
        sources.put(key(source), source);
        assignWaiting();
    }

    /** Forgets the sources of {@code job}. */
    public synchronized void release(String job) {
        sources.values().removeIf(a -> a.getJob().equals(job));
        runBy.keySet().removeIf(k -> !sources.containsKey(k));
    }

    /** The attached receivers. */
    public synchronized List<Receiver> list() {
        return List.copyOf(receivers.values());
    }

    private void assignWaiting() {
        for (Map.Entry<String, ReceiverAssignment> e : sources.entrySet()) {
            if (runBy.containsKey(e.getKey()) || receivers.isEmpty()) {
                continue;
            }
            Receiver r = receivers.values().stream()
                    .min(Comparator.comparingInt(x -> x.sources.size())).orElseThrow();
            synchronized (r) {
                r.sources.add(e.getValue());
            }
            runBy.put(e.getKey(), r);
            r.channel.send(e.getValue());
            LOG.info(() -> "source " + e.getKey() + " assigned to receiver " + r.id());
        }
    }

    private static String key(ReceiverAssignment a) {
        return a.getJob() + "/" + a.getNode();
    }
}
