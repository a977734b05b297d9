package dev.sluice.receiver.ingest;

import dev.sluice.receiver.ReceiverStream;
import dev.sluice.receiver.RunningStreams;
import dev.sluice.receiver.block.Block;
import dev.sluice.receiver.block.BlockGenerator;
import dev.sluice.receiver.rate.TokenBucket;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * HTTP ingest, free of the web framework: takes the body POSTed to {@code /api/ingest/{path}}
 * into the current block of the HTTP stream that ingests {@code path}, and answers once that
 * block is cut and durable: in the write-ahead log, or replicated to a peer and reported to
 * the coordinator (see {@link BlockGenerator}). A request is taken whole or not at all: when
 * it is refused, none of its records is stored.
 *
 * <p>In order: 404 when no HTTP stream of this path runs here; 413 when the body or a line is
 * too large; 400 for invalid UTF-8; 503 with a retry delay when too many blocks of the
 * stream wait to be reported or when the rate limit would be exceeded (the token bucket
 * would go more than one second's worth into debt); otherwise 202 with the record count and
 * the block id, or 503 if no durable copy of the block could be made (the log cannot be
 * written, no peer receiver takes a replica).
 */
public final class HttpIngest {

    private static final Logger LOG = Logger.getLogger(HttpIngest.class);

    /** How a request ended. */
    public sealed interface Outcome {
        /** The HTTP status. */
        int status();
    }

    /** 202: {@code records} records are in block {@code blockId} ({@code null} when there were none). */
    public record Accepted(long records, String blockId) implements Outcome {
        @Override
        public int status() {
            return 202;
        }
    }

    /**
     * Refused with {@code status}; {@code detail} says why; {@code retryAfterSeconds} is positive
     * for a 503 the client should retry.
     */
    public record Refused(int status, String detail, long retryAfterSeconds) implements Outcome {
    }

    private final RunningStreams streams;
    private final String receiverId;
    private final long maxBodyBytes;
    private final int maxLineChars;

    /**
     * Ingest into the HTTP streams of {@code streams}, on receiver {@code receiverId} (for
     * messages), taking bodies of at most {@code maxBodyBytes} bytes and lines of at most
     * {@code maxLineChars} chars.
     */
    public HttpIngest(RunningStreams streams, String receiverId, long maxBodyBytes, int maxLineChars) {
        this.streams = streams;
        this.receiverId = receiverId;
        this.maxBodyBytes = maxBodyBytes;
        this.maxLineChars = maxLineChars;
    }

    /** The HTTP stream of {@code path}, if one is assigned here. */
    public boolean serves(String path) {
        return streams.http(path).isPresent();
    }

    /**
     * Takes {@code body} into the stream of {@code path}. The stage completes when the answer
     * is known: at once for a refusal, once the block is durable for an acceptance. It completes
     * on a block generator's thread: continue from it asynchronously.
     */
    public CompletionStage<Outcome> ingest(String path, byte[] body) {
        ReceiverStream stream = streams.http(path).orElse(null);
        if (stream == null && streams.isStopped()) {
            return done(new Refused(503, "receiver " + receiverId + " is shutting down", 1));
        }
        if (stream == null) {
            return done(new Refused(404, "no http source with path '" + path + "' is assigned to receiver "
                    + receiverId, 0));
        }
        if (body.length > maxBodyBytes) {
            return done(new Refused(413, "the body has " + body.length + " bytes, more than the "
                    + maxBodyBytes + " bytes sluice.receiver.http.max-body allows; send fewer lines per request", 0));
        }
        IngestBody.Result parsed = IngestBody.parse(body, maxLineChars);
        if (parsed instanceof IngestBody.InvalidUtf8 bad) {
            return done(new Refused(400, "the body is not valid UTF-8: invalid byte sequence at byte offset "
                    + bad.offset(), 0));
        }
        if (parsed instanceof IngestBody.LineTooLong tooLong) {
            return done(new Refused(413, "line " + tooLong.line() + " has " + tooLong.chars()
                    + " chars, more than the " + tooLong.limit() + " sluice.receiver.max-line-length allows", 0));
        }
        List<String> lines = ((IngestBody.Lines) parsed).lines();
        if (lines.isEmpty()) {
            return done(new Accepted(0, null));
        }
        BlockGenerator generator = stream.generator();
        int pending = generator.pendingBlocks();
        if (pending >= generator.maxPendingBlocks()) {
            stream.counters().throttled(lines.size(), 0);
            return done(new Refused(503, pending + " blocks of this source wait to be reported to the coordinator;"
                    + " retry later", 1));
        }
        TokenBucket.Admission admission = stream.rateLimit().bucket().tryAcquire(lines.size());
        if (!admission.admitted()) {
            stream.counters().throttled(lines.size(), 0);
            double rate = stream.rateLimit().effective();
            String detail = admission.exceedsBurst()
                    ? "the request holds " + lines.size() + " records, more than the rate limit of " + rate
                            + " records/s admits at once (" + (long) Math.floor(2 * Math.max(rate, 1))
                            + "); send smaller requests"
                    : "the rate limit of " + rate + " records/s is reached; retry later";
            return done(new Refused(503, detail, admission.retryAfterSeconds()));
        }
        CompletableFuture<Block> durable;
        try {
            durable = generator.addAll(lines);
        } catch (RuntimeException e) {
            return done(new Refused(503, "the source cannot take records now: " + e.getMessage(), 1));
        }
        int records = lines.size();
        return durable.<Outcome>handle((block, failure) -> {
            if (failure != null) {
                LOG.debugf("a post of %d records to %s failed: %s", records, path, failure);
                return new Refused(503, "the records could not be stored durably: " + rootMessage(failure), 1);
            }
            return new Accepted(records, block.id());
        });
    }

    private static CompletionStage<Outcome> done(Outcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return String.valueOf(c.getMessage());
    }
}
