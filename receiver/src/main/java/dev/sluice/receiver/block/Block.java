package dev.sluice.receiver.block;

import java.util.Objects;

/**
 * One block cut from a receiver stream: the codec-encoded records that arrived during one
 * block interval. The {@code data} array is never modified after the block is cut, so it is
 * shared (not copied) between the generator, the store and the gRPC replies.
 *
 * @param id          unique across receivers and receiver restarts
 * @param job         the job whose source produced the records
 * @param node        the source's node number in the job graph
 * @param data        the records, each written with {@code RecordWriter.write}
 * @param records     how many records {@code data} holds
 * @param receivedAtMs wall-clock time the block was cut; every record in it arrived after the
 *                    previous cut of the same stream and at or before this time
 */
public record Block(String id, String job, int node, byte[] data, long records, long receivedAtMs) {

    /** Checks the fields that must be present. */
    public Block {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(data, "data");
    }

    @Override
    public String toString() {
        return "Block[" + id + ", job " + job + ", node " + node + ", " + records + " records, " + data.length + " bytes]";
    }
}
