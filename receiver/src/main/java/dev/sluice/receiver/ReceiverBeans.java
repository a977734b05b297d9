package dev.sluice.receiver;

import dev.sluice.protocol.check.RefusalCounter;
import dev.sluice.receiver.block.ReceivedBlockStore;
import dev.sluice.receiver.replica.ReplicaStore;
import dev.sluice.receiver.wal.WriteAheadLog;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;

/** Makes the plain receiver components that several beans share available for injection. */
@Singleton
public class ReceiverBeans {

    /** Counts refused inputs in {@code sluice_refused_total{boundary,reason}}. */
    @Produces
    @Singleton
    RefusalCounter refusals(MeterRegistry registry) {
        return (boundary, reason) -> registry.counter(RefusalCounter.METER, RefusalCounter.tags(boundary, reason)).increment();
    }

    /** The one block store: written by the block generators, read by the gRPC service. */
    @Produces
    @Singleton
    ReceivedBlockStore blockStore(ReceiverConfig config, MeterRegistry registry) {
        ReceivedBlockStore store = new ReceivedBlockStore(config.blockRetention(), Clock.systemUTC());
        Gauge.builder("sluice.receiver.stored.blocks", store, ReceivedBlockStore::size)
                .description("Blocks held for workers to fetch")
                .register(registry);
        Gauge.builder("sluice.receiver.stored.bytes", store, ReceivedBlockStore::bytes)
                .description("Bytes of the blocks held for workers to fetch")
                .baseUnit("bytes")
                .register(registry);
        return store;
    }

    /**
     * The replicas kept for peer receivers: written by their uploads, read by the gRPC service,
     * emptied by processed blocks. Kept as long as blocks are.
     */
    @Produces
    @Singleton
    ReplicaStore replicaStore(ReceiverConfig config, MeterRegistry registry) {
        ReplicaStore replicas = new ReplicaStore(config.blockRetention(), Clock.systemUTC());
        Gauge.builder("sluice.receiver.replicas", replicas, ReplicaStore::size)
                .description("Replicas of peers' blocks kept here")
                .register(registry);
        Gauge.builder("sluice.receiver.replicas.bytes", replicas, ReplicaStore::bytes)
                .description("Bytes of the replicas of peers' blocks kept here")
                .baseUnit("bytes")
                .register(registry);
        return replicas;
    }

    /**
     * The write-ahead log, in {@code sluice.receiver.wal.dir}, by default
     * {@code ${java.io.tmpdir}/sluice-wal/<receiver id>}.
     */
    @Produces
    @Singleton
    WriteAheadLog writeAheadLog(ReceiverConfig config, MeterRegistry registry) {
        Path dir = config.wal().dir().filter(d -> !d.isBlank()).map(Path::of)
                .orElseGet(() -> WriteAheadLog.defaultDirectory(ReceiverLifecycle.receiverId(config)));
        WriteAheadLog wal = new WriteAheadLog(dir);
        Gauge.builder("sluice.receiver.wal.blocks", wal, WriteAheadLog::size)
                .description("Blocks in the write-ahead log, not yet processed")
                .register(registry);
        FunctionCounter.builder("sluice.receiver.wal.corrupt", wal, WriteAheadLog::corruptFiles)
                .description("Corrupt write-ahead log files found at startup and moved aside")
                .register(registry);
        return wal;
    }
}
