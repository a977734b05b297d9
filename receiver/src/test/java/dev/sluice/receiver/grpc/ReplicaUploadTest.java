package dev.sluice.receiver.grpc;

import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Why a replica is not kept, as its uploader learns it. */
class ReplicaUploadTest {

    /** Found by FuzzIT: a replica of a job the coordinator does not run was answered UNAVAILABLE, retry. */
    @Test
    void theCoordinatorsRefusalPassesOnWithItsCode() {
        Status s = ReplicaUpload.notKept("b-1", Status.NOT_FOUND.withDescription("job 'x' does not run on this coordinator")
                .asRuntimeException());
        assertEquals(Status.Code.NOT_FOUND, s.getCode());
        assertEquals("cannot tell the coordinator of the replica of block b-1, so it is not kept: NOT_FOUND: job 'x' "
                + "does not run on this coordinator", s.getDescription());
    }

    @Test
    void aCoordinatorOutOfReachIsUnavailable() {
        assertEquals(Status.Code.UNAVAILABLE, ReplicaUpload.notKept("b-1", Status.DEADLINE_EXCEEDED.asRuntimeException()).getCode());
        assertEquals(Status.Code.UNAVAILABLE, ReplicaUpload.notKept("b-1", new IOException("reset")).getCode());
    }
}
