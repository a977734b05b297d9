package dev.sluice.protocol.check;

import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.BlockTrackerGrpc;
import dev.sluice.protocol.ControlGrpc;
import dev.sluice.protocol.WorkerDataGrpc;
import io.grpc.StatusRuntimeException;

import java.util.Locale;

/**
 * Counts refused and limited inputs, by boundary and {@link Refusal.Reason}. The apps count in
 * the meter {@link #METER} ({@code sluice_refused_total{boundary,reason}} in Prometheus); its
 * labels come from two small fixed sets, never from ids or tokens.
 */
@FunctionalInterface
public interface RefusalCounter {

    /** The Micrometer name of the counter. */
    String METER = "sluice.refused";

    /** Counts nothing. */
    RefusalCounter NONE = (boundary, reason) -> { };

    /** Where an input crosses into a process: the values of the {@code boundary} label. */
    enum Boundary {
        /** The coordinator's end of the workers' control streams. */
        CONTROL,
        /** The coordinator's receiver attach and block reports. */
        BLOCK_TRACKER,
        /** A receiver's block fetch and replica upload. */
        BLOCK_STORE,
        /** A stage-worker's shuffle and kept-partition fetch. */
        WORKER_DATA,
        /** REST calls of the coordinator and the workers. */
        REST,
        /** The receivers' HTTP ingest. */
        HTTP_INGEST,
        /** Any other gRPC service (health). */
        GRPC;

        /** The label value: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The boundary of the gRPC service named {@code service} ({@code sluice.v1.Control}, ...). */
        public static Boundary ofService(String service) {
            if (ControlGrpc.SERVICE_NAME.equals(service)) {
                return CONTROL;
            } else if (BlockTrackerGrpc.SERVICE_NAME.equals(service)) {
                return BLOCK_TRACKER;
            } else if (BlockStoreGrpc.SERVICE_NAME.equals(service)) {
                return BLOCK_STORE;
            } else if (WorkerDataGrpc.SERVICE_NAME.equals(service)) {
                return WORKER_DATA;
            }
            return GRPC;
        }
    }

    /** Counts one refused or limited input at {@code boundary}. */
    void count(Boundary boundary, Refusal.Reason reason);

    /** Counts {@code refusal} at {@code boundary}; the error to answer its call with. */
    default StatusRuntimeException counted(Boundary boundary, Refusal refusal) {
        count(boundary, refusal.reason());
        return refusal.asException();
    }

    /** The tags of the meter for {@code boundary} and {@code reason}, as Micrometer takes them. */
    static String[] tags(Boundary boundary, Refusal.Reason reason) {
        return new String[] {"boundary", boundary.label(), "reason", reason.label()};
    }
}
