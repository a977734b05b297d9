package dev.sluice.api;

import java.util.Iterator;

/**
 * A custom source, with Spark's Receiver shape: the runtime calls {@link #onStart()} on a
 * receiver process; the receiver starts its own threads to read from wherever its data
 * is and hands each record to {@link #store}. {@code onStart} must not block.
 *
 * <p>The instance a job passes to {@link StreamingContext#receiverStream} is only ever
 * used on the receiver process that runs it (closures are never shipped): the receiver
 * process defines the job itself and finds the instance in its own graph.
 */
public abstract class Receiver<T> {

    /** What the runtime does with what a receiver hands it. */
    public interface Supervisor<T> {
        /** Takes one record into the current block; may block while the rate limit says wait. */
        void push(T record);

        /** Stops and starts the receiver again after a delay. */
        void restart(String message, Throwable error);

        /** Records an error without stopping the receiver. */
        void reportError(String message, Throwable error);

        /** Stops the receiver for good. */
        void stop(String message, Throwable error);

        /** Whether the receiver is stopped or being stopped. */
        boolean isStopped();
    }

    private volatile Supervisor<T> supervisor;

    /** Starts receiving: start threads that call {@link #store}, and return. */
    public abstract void onStart();

    /** Stops receiving: make the threads started by {@link #onStart()} end. */
    public abstract void onStop();

    /** Stores one record. */
    public final void store(T record) {
        supervisor().push(record);
    }

    /** Stores every record of {@code records}. */
    public final void store(Iterator<T> records) {
        Supervisor<T> s = supervisor();
        while (records.hasNext()) {
            s.push(records.next());
        }
    }

    /** Restarts the receiver: {@link #onStop()}, a delay, then {@link #onStart()}. */
    public final void restart(String message) {
        supervisor().restart(message, null);
    }

    /** Restarts the receiver after {@code error}. */
    public final void restart(String message, Throwable error) {
        supervisor().restart(message, error);
    }

    /** Reports an error to the runtime (logged and counted) without stopping. */
    public final void reportError(String message, Throwable error) {
        supervisor().reportError(message, error);
    }

    /** Stops the receiver for good. */
    public final void stop(String message) {
        supervisor().stop(message, null);
    }

    /** Whether the receiver runs. */
    public final boolean isStarted() {
        Supervisor<T> s = supervisor;
        return s != null && !s.isStopped();
    }

    /** Whether the receiver is stopped, so its threads should end. */
    public final boolean isStopped() {
        Supervisor<T> s = supervisor;
        return s == null || s.isStopped();
    }

    /** Called by the runtime before {@link #onStart()}; not for jobs. */
    public final void attach(Supervisor<T> runtime) {
        this.supervisor = runtime;
    }

    private Supervisor<T> supervisor() {
        Supervisor<T> s = supervisor;
        if (s == null) {
            throw new IllegalStateException("the receiver is not running on a receiver process");
        }
        return s;
    }
}
