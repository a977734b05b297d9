package dev.sluice.receiver;

import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.protocol.BlockReport;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchBlockRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Fetches blocks from a receiver's BlockStore gRPC server, as a worker does. */
public final class BlockFetch {

    private BlockFetch() {
    }

    /** The decoded records of block {@code blockId} at {@code address}. */
    public static List<Object> records(String address, String blockId) {
        ManagedChannel c = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Iterator<DataChunk> it = BlockStoreGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .fetchBlock(FetchBlockRequest.newBuilder().setBlockId(blockId).build());
            while (it.hasNext()) {
                it.next().getData().writeTo(bytes);
            }
            return RecordCodec.decode(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            c.shutdownNow();
        }
    }

    /** The records of every reported block, fetched at their reported addresses, in report order. */
    public static List<Object> records(List<BlockReport> reports) {
        List<Object> out = new ArrayList<>();
        for (BlockReport r : reports) {
            List<Object> records = records(r.getBlock().getAddress(), r.getBlock().getBlockId());
            if (records.size() != r.getBlock().getRecords()) {
                throw new AssertionError("block " + r.getBlock().getBlockId() + " holds " + records.size()
                        + " records, reported " + r.getBlock().getRecords());
            }
            out.addAll(records);
        }
        return out;
    }
}
