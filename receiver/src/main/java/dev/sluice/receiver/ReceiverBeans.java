package dev.sluice.receiver;

import dev.sluice.receiver.block.ReceivedBlockStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;

/** Makes the plain receiver components that several beans share available for injection. */
@Singleton
public class ReceiverBeans {

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
}
