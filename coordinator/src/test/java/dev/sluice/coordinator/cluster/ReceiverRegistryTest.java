package dev.sluice.coordinator.cluster;

import dev.sluice.protocol.HttpSource;
import dev.sluice.protocol.ReceiverAssignment;
import dev.sluice.protocol.ReceiverCommand;
import dev.sluice.protocol.RunningSource;
import dev.sluice.protocol.SocketSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReceiverRegistryTest {

    private static final ReceiverAssignment SOCKET = ReceiverAssignment.newBuilder().setJob("wc").setNode(0)
            .setSocket(SocketSource.newBuilder().setHost("localhost").setPort(9999)).build();
    private static final ReceiverAssignment HTTP = ReceiverAssignment.newBuilder().setJob("wc").setNode(1)
            .setHttp(HttpSource.newBuilder().setPath("events")).setWriteAheadLog(true).build();

    private final ReceiverRegistry registry = new ReceiverRegistry();

    /** What one receiver was sent. */
    private static final class Inbox implements MessageChannel<ReceiverCommand> {
        final List<ReceiverCommand> sent = new CopyOnWriteArrayList<>();

        @Override
        public void send(ReceiverCommand message) {
            sent.add(message);
        }

        List<String> assigned() {
            return sent.stream().filter(ReceiverCommand::hasAssign)
                    .map(c -> c.getAssign().getJob() + "/" + c.getAssign().getNode()).toList();
        }

        List<String> lastPeers() {
            List<String> peers = null;
            for (ReceiverCommand c : sent) {
                if (c.hasPeers()) {
                    peers = c.getPeers().getAddressesList();
                }
            }
            return peers;
        }
    }

    private static RunningSource running(String job, int node) {
        return RunningSource.newBuilder().setJob(job).setNode(node).build();
    }

    @Test
    void aOneReceiverSourceGoesToOneReceiverAndAnHttpSourceToEvery() {
        registry.require(SOCKET, false);
        registry.require(HTTP, true);
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        registry.attach("a", "a:1", a);
        registry.attach("b", "b:1", b);
        assertEquals(List.of("wc/0", "wc/1"), a.assigned());
        assertEquals(List.of("wc/1"), b.assigned());
    }

    @Test
    void aOneReceiverSourceMovesWhenItsReceiverGoes() {
        registry.require(SOCKET, false);
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        ReceiverRegistry.Receiver ra = registry.attach("a", "a:1", a);
        registry.attach("b", "b:1", b);
        assertTrue(registry.detach(ra));
        assertEquals(List.of("wc/0"), b.assigned());
    }

    @Test
    void aSourceTheReceiverRunsAlreadyStaysOnItAndIsNotStartedElsewhere() {
        // A coordinator that restarted: the job's sources are required before the receivers come back.
        registry.require(SOCKET, false);
        registry.require(HTTP, true);
        Inbox b = new Inbox();
        registry.attach("b", "b:1", List.of(running("wc", 0), running("wc", 1)), b);
        Inbox a = new Inbox();
        registry.attach("a", "a:1", a);

        assertEquals(List.of(), b.assigned(), "b runs both already: sending them again is not needed");
        assertEquals(List.of("wc/1"), a.assigned(), "the socket source must not start a second time");
        assertEquals(List.of("wc/0", "wc/1"), registry.list().get(0).sources());
    }

    @Test
    void aSourceARunningReceiverNamesBeforeItsJobStartsIsNotAssignedWhenItDoes() {
        Inbox b = new Inbox();
        registry.attach("b", "b:1", List.of(running("wc", 0)), b);
        Inbox a = new Inbox();
        registry.attach("a", "a:1", a);
        registry.require(SOCKET, false);
        assertEquals(List.of(), a.assigned());
        assertEquals(List.of(), b.assigned());
        // Releasing another job keeps it.
        registry.release("other");
        assertEquals(List.of("wc/0"), registry.list().get(0).sources());
        registry.release("wc");
        assertEquals(List.of(), registry.list().get(0).sources());
        assertTrue(b.sent.stream().anyMatch(c -> c.hasUnassign() && c.getUnassign().getJob().equals("wc")),
                "the receiver running it is told to stop it");
    }

    @Test
    void everyReceiverHearsOfItsPeersWhenReceiversComeAndGo() {
        Inbox a = new Inbox();
        Inbox b = new Inbox();
        Inbox c = new Inbox();
        registry.attach("a", "a:1", a);
        assertEquals(List.of(), a.lastPeers());
        ReceiverRegistry.Receiver rb = registry.attach("b", "b:1", b);
        registry.attach("c", "c:1", c);
        assertEquals(List.of("b:1", "c:1"), a.lastPeers());
        assertEquals(List.of("a:1", "c:1"), b.lastPeers());
        assertEquals(List.of("a:1", "b:1"), c.lastPeers());
        // The peers come before any assignment, so a new receiver can replicate its first block.
        assertTrue(c.sent.get(0).hasPeers());

        registry.detach(rb);
        assertEquals(List.of("c:1"), a.lastPeers());
        assertEquals(List.of("a:1"), c.lastPeers());
    }

    @Test
    void listenersHearOfEveryReceiverThatGoesAwayOrComesBack() {
        List<String> gone = new ArrayList<>();
        registry.onDeparture(r -> gone.add(r.id() + "@" + r.address()));
        ReceiverRegistry.Receiver first = registry.attach("a", "a:1", new Inbox());
        // Attached again (it restarted, or its stream broke and the old one is not closed yet).
        ReceiverRegistry.Receiver second = registry.attach("a", "a:2", new Inbox());
        assertEquals(List.of("a@a:1"), gone);
        // The late end of the replaced stream detaches nothing.
        assertFalse(registry.detach(first));
        assertEquals(List.of("a@a:1"), gone);
        assertEquals(1, registry.list().size());
        assertTrue(registry.detach(second));
        assertEquals(List.of("a@a:1", "a@a:2"), gone);
        assertEquals(0, registry.list().size());
    }
}
