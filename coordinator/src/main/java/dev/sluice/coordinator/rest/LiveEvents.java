package dev.sluice.coordinator.rest;

import dev.sluice.coordinator.app.CoordinatorRuntime;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseBroadcaster;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * The Server-Sent Events every subscriber of {@code /api/events} gets: {@code batch} when a
 * batch ends (a {@link BatchView} with its job's name), {@code workers} when a worker joins,
 * leaves or drains (the worker list). Events are dropped while nobody listens.
 */
@ApplicationScoped
public class LiveEvents {

    /** A finished batch, with the job it belongs to. */
    public record BatchEvent(String job, BatchView batch) {
    }

    private volatile Sse sse;
    private volatile SseBroadcaster broadcaster;

    void start(@Observes StartupEvent event, CoordinatorRuntime runtime) {
        runtime.onBatchDone((job, batch) -> publish("batch", new BatchEvent(job.name(), BatchView.of(batch))));
        runtime.workers().onChange(() -> {
            long now = System.currentTimeMillis();
            publish("workers", runtime.workers().alive().stream().map(w -> WorkerView.of(w, now)).toList());
        });
    }

    synchronized void subscribe(SseEventSink sink, Sse sse) {
        if (broadcaster == null) {
            this.sse = sse;
            this.broadcaster = sse.newBroadcaster();
        }
        broadcaster.register(sink);
        // A first event, so that clients know the stream is open even when nothing happens.
        sink.send(sse.newEventBuilder().name("hello").data("{}").mediaType(MediaType.APPLICATION_JSON_TYPE).build());
    }

    /** Sends event {@code name} with {@code data}, as JSON, to every subscriber. */
    public void publish(String name, Object data) {
        SseBroadcaster b = broadcaster;
        if (b != null) {
            b.broadcast(sse.newEventBuilder().name(name).data(data).mediaType(MediaType.APPLICATION_JSON_TYPE).build());
        }
    }
}
