package dev.sluice.bench.jmh;

import com.google.protobuf.UnsafeByteOperations;
import dev.sluice.engine.codec.RecordCodec;
import dev.sluice.engine.shuffle.MissingShuffleOutputException;
import dev.sluice.engine.shuffle.ShuffleStore;
import dev.sluice.protocol.BlockStoreGrpc;
import dev.sluice.protocol.DataChunk;
import dev.sluice.protocol.FetchBlockRequest;
import dev.sluice.protocol.FetchShuffleRequest;
import dev.sluice.protocol.WorkerDataGrpc;
import dev.sluice.protocol.client.ChannelPool;
import dev.sluice.protocol.transfer.Chunks;
import dev.sluice.worker.data.DataFetcher;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A 1 MiB block (the corpus's lines, encoded) fetched over gRPC on loopback, through a real
 * grpc-java Netty server and a channel from the protocol's {@link ChannelPool}, as the apps
 * build them:
 *
 * <ul>
 *   <li>{@code fetchBlock*}: worker &larr; receiver, {@code BlockStore.FetchBlock}. The server
 *       side copies the receiver's {@code BlockStoreService}/{@code ChunkedReply} (chunks of at most
 *       1 MiB wrapped without a copy, sent while the call is ready); the client is the
 *       stage-worker's own {@link DataFetcher#fetchBlock}.</li>
 *   <li>{@code fetchShuffle*}: worker &larr; worker, {@code WorkerData.FetchShuffle} of one 1 MiB
 *       bucket from the engine's {@link ShuffleStore}: the server copies the stage-worker's
 *       {@code WorkerDataService} (chunks wrapped without a copy), the client is
 *       {@link DataFetcher#fetchShuffle}.</li>
 * </ul>
 *
 * The services are Quarkus beans (injected stores), so this module cannot load them; the server
 * sides copy their data path line for line, and must follow when those change. {@code *Throughput}: blocks per second, which is
 * MiB/s; {@code *Latency}: the time per block, with percentiles. One client thread; client and
 * server share the machine's cores.
 */
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class BlockTransferBench {

    static final int BLOCK_BYTES = 1 << 20;
    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
    private static final String BLOCK_ID = "bench-0-0";
    private static final String JOB = "bench";
    private static final long TIME_MS = 1000;
    private static final long DEADLINE_SECONDS = 60;

    private Server server;
    private ChannelPool channels;
    private DataFetcher fetcher;
    private String address;

    @Setup
    public void setup() throws IOException {
        byte[] encoded = RecordCodec.encode(Workload.lines(4 * Workload.LINES));
        if (encoded.length < BLOCK_BYTES) {
            throw new IllegalStateException("the corpus encodes to " + encoded.length + " bytes, less than a block");
        }
        byte[] block = Arrays.copyOf(encoded, BLOCK_BYTES);
        ShuffleStore shuffles = new ShuffleStore();
        shuffles.put(new ShuffleStore.Key(JOB, TIME_MS, 0, 0), new byte[][] {block});

        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .addService(new BlockStore(Map.of(BLOCK_ID, block)))
                .addService(new WorkerData(shuffles))
                .build()
                .start();
        address = InetAddress.getLoopbackAddress().getHostAddress() + ":" + server.getPort();
        channels = new ChannelPool();
        fetcher = new DataFetcher(channels);
        if (fetchBlock().length != BLOCK_BYTES || fetchShuffle().length != BLOCK_BYTES) {
            throw new IllegalStateException("a fetch did not return the whole block");
        }
    }

    @TearDown
    public void tearDown() throws InterruptedException {
        channels.close();
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] fetchBlockThroughput() {
        return fetchBlock();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] fetchBlockLatency() {
        return fetchBlock();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public byte[] fetchShuffleThroughput() {
        return fetchShuffle();
    }

    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public byte[] fetchShuffleLatency() {
        return fetchShuffle();
    }

    /** The stage-worker's own {@link DataFetcher#fetchBlock}. */
    private byte[] fetchBlock() {
        return fetcher.fetchBlock(address, BLOCK_ID);
    }

    /** The stage-worker's own {@link DataFetcher#fetchShuffle}, for one map partition. */
    private byte[] fetchShuffle() {
        return fetcher.fetchShuffle(address, JOB, TIME_MS, 0, 0, List.of(0)).get(0);
    }

    /** The receiver's {@code BlockStoreService.fetchBlock} over an in-memory store. */
    static final class BlockStore extends BlockStoreGrpc.BlockStoreImplBase {
        private final Map<String, byte[]> blocks;

        BlockStore(Map<String, byte[]> blocks) {
            this.blocks = blocks;
        }

        @Override
        public void fetchBlock(FetchBlockRequest request, StreamObserver<DataChunk> responseObserver) {
            byte[] data = blocks.get(request.getBlockId());
            if (data == null) {
                responseObserver.onError(Status.NOT_FOUND.withDescription("block " + request.getBlockId()
                        + " is not held by this receiver").asRuntimeException());
                return;
            }
            ChunkedReply.send(data, responseObserver);
        }
    }

    /** The receiver's {@code ChunkedReply}, line for line. */
    static final class ChunkedReply implements Runnable {

        private final byte[] data;
        private final ServerCallStreamObserver<DataChunk> call;
        private int offset;
        private boolean done;

        private ChunkedReply(byte[] data, ServerCallStreamObserver<DataChunk> call) {
            this.data = data;
            this.call = call;
        }

        static void send(byte[] data, StreamObserver<DataChunk> observer) {
            if (observer instanceof ServerCallStreamObserver<DataChunk> call) {
                ChunkedReply reply = new ChunkedReply(data, call);
                call.setOnCancelHandler(reply::cancelled);
                call.setOnReadyHandler(reply);
                reply.run();
            } else {
                for (int off = 0; off < data.length; off += Chunks.MAX_BYTES) {
                    observer.onNext(chunk(data, off));
                }
                observer.onCompleted();
            }
        }

        @Override
        public void run() {
            while (!done && call.isReady()) {
                if (offset < data.length) {
                    DataChunk c = chunk(data, offset);
                    offset += c.getData().size();
                    call.onNext(c);
                } else {
                    done = true;
                    call.onCompleted();
                }
            }
        }

        private void cancelled() {
            done = true;
        }

        private static DataChunk chunk(byte[] data, int offset) {
            int len = Math.min(Chunks.MAX_BYTES, data.length - offset);
            return DataChunk.newBuilder().setData(UnsafeByteOperations.unsafeWrap(data, offset, len)).build();
        }
    }

    /** The stage-worker's {@code WorkerDataService.fetchShuffle}, line for line. */
    static final class WorkerData extends WorkerDataGrpc.WorkerDataImplBase {

        private final ShuffleStore shuffles;

        WorkerData(ShuffleStore shuffles) {
            this.shuffles = shuffles;
        }

        @Override
        public void fetchShuffle(FetchShuffleRequest request, StreamObserver<DataChunk> response) {
            try {
                for (int m : request.getMapPartitionsList()) {
                    byte[] bucket = shuffles.bucket(new ShuffleStore.Key(request.getJob(), request.getBatchTimeMs(),
                            request.getShuffle(), m), request.getReducePartition());
                    send(m, bucket, response);
                }
                response.onCompleted();
            } catch (MissingShuffleOutputException e) {
                response.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
            }
        }

        private static void send(int partition, byte[] data, StreamObserver<DataChunk> response) {
            int off = 0;
            do {
                int len = Math.min(Chunks.MAX_BYTES, data.length - off);
                response.onNext(DataChunk.newBuilder().setMapPartition(partition)
                        .setData(UnsafeByteOperations.unsafeWrap(data, off, len)).build());
                off += len;
            } while (off < data.length);
        }
    }
}
