package dev.sluice.protocol.check;

import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.WorkerDataGrpc;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FieldCheckTest {

    private static String problem(FieldCheck check) {
        return check.result().map(Refusal::detail).orElse(null);
    }

    @Test
    void idsMustBeSetShortAndPrintable() {
        assertEquals(null, problem(FieldCheck.start().id("job", "wordcount")));
        assertEquals("job must be set, got ''", problem(FieldCheck.start().id("job", "")));
        assertEquals("job must be set, got '  '", problem(FieldCheck.start().id("job", "  ")));
        assertEquals("job must have no control characters, got 'a?b'", problem(FieldCheck.start().id("job", "a\nb")));
        String tooLong = problem(FieldCheck.start().id("job", "x".repeat(300)));
        assertTrue(tooLong.startsWith("job must have at most 256 chars, got 'xxx"), tooLong);
        assertTrue(tooLong.endsWith("...(300 chars)'"), "a long value is cut short: " + tooLong);
    }

    @Test
    void addressesAreHostAndPort() {
        assertEquals(null, problem(FieldCheck.start().address("address", "worker-0.sluice:9191")));
        assertEquals(null, problem(FieldCheck.start().address("address", "[::1]:65535")));
        for (String bad : new String[] {"", "host", "host:", "host:0", "host:65536", "host:123456", ":80", "a b:80"}) {
            assertEquals("address must be host:port with a port from 1 to 65535, got '" + bad + "'",
                    problem(FieldCheck.start().address("address", bad)), bad);
        }
    }

    @Test
    void numbersAreRangeChecked() {
        assertEquals("partition must not be negative, got -1", problem(FieldCheck.start().atLeast("partition", -1, 0)));
        assertEquals("slots must be at least 1, got 0", problem(FieldCheck.start().atLeast("slots", 0, 1)));
        assertEquals("free_slots must be from 0 to 4, got 5", problem(FieldCheck.start().between("free_slots", 5, 0, 4)));
        assertEquals(null, problem(FieldCheck.start().between("free_slots", 4, 0, 4)));
    }

    @Test
    void theFirstProblemWinsAndIsAnInvalidArgument() {
        Optional<Refusal> r = FieldCheck.start().atLeast("stage", -1, 0).atLeast("partition", -2, 0)
                .then(() -> Optional.of(Refusal.unknown("never asked"))).result();
        assertEquals("stage must not be negative, got -1", r.orElseThrow().detail());
        assertEquals(Status.Code.INVALID_ARGUMENT, r.orElseThrow().code());
        assertEquals(Refusal.Reason.INVALID, r.orElseThrow().reason());
        assertEquals(Status.Code.NOT_FOUND,
                FieldCheck.start().then(() -> Optional.of(Refusal.unknown("no job 'x'"))).result().orElseThrow().code());
        assertEquals(Status.Code.INVALID_ARGUMENT, r.orElseThrow().asException().getStatus().getCode());
    }

    @Test
    void boundariesAndReasonsAreFixedLabels() {
        assertEquals(RefusalCounter.Boundary.CONTROL, RefusalCounter.Boundary.ofService(ControlGrpc.SERVICE_NAME));
        assertEquals(RefusalCounter.Boundary.WORKER_DATA, RefusalCounter.Boundary.ofService(WorkerDataGrpc.SERVICE_NAME));
        assertEquals(RefusalCounter.Boundary.GRPC, RefusalCounter.Boundary.ofService("grpc.health.v1.Health"));
        assertEquals("off_grid", Refusal.Reason.OFF_GRID.label());
        assertEquals(java.util.List.of("boundary", "block_store", "reason", "too_large"), java.util.List.of(
                RefusalCounter.tags(RefusalCounter.Boundary.BLOCK_STORE, Refusal.Reason.TOO_LARGE)));
    }
}
