package dev.sluice.protocol.check;

import io.grpc.Status;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Checks the fields of one message in order and keeps the first problem, so that a check
 * reads as the list of its rules:
 * <pre>{@code
 * return FieldCheck.start().id("worker_id", r.getWorkerId()).address("address", r.getAddress())
 *         .atLeast("slots", r.getSlots(), 1).result();
 * }</pre>
 */
public final class FieldCheck {

    /** The longest id (job, worker, receiver, block) a message may carry. */
    public static final int MAX_ID_CHARS = 256;

    // host:port, the host without blanks or control characters.
    private static final Pattern ADDRESS = Pattern.compile("[^\\s\\p{Cntrl}]+:(\\d{1,5})");
    private static final Pattern ID = Pattern.compile("[^\\p{Cntrl}]+");

    private Refusal first;

    private FieldCheck() {
    }

    /** A check with no problem found yet. */
    public static FieldCheck start() {
        return new FieldCheck();
    }

    /** The message field {@code field} is {@code set}. */
    public FieldCheck present(String field, boolean set) {
        if (!set && first == null) {
            first = new Refusal(Refusal.Reason.INVALID, Status.Code.INVALID_ARGUMENT, field + " must be set");
        }
        return this;
    }

    /** {@code value} is an id: not blank, at most {@link #MAX_ID_CHARS} chars, no control characters. */
    public FieldCheck id(String field, String value) {
        if (value.isBlank()) {
            return fail(field, value, "be set");
        }
        return text(field, value).rule(ID.matcher(value).matches(), field, value, "have no control characters");
    }

    /** {@code value}, which may be empty, has at most {@link #MAX_ID_CHARS} chars. */
    public FieldCheck text(String field, String value) {
        return rule(value.length() <= MAX_ID_CHARS, field, value, "have at most " + MAX_ID_CHARS + " chars");
    }

    /** {@code value} is {@code host:port} with a port from 1 to 65535. */
    public FieldCheck address(String field, String value) {
        var m = ADDRESS.matcher(value);
        boolean ok = value.length() <= MAX_ID_CHARS && m.matches() && Integer.parseInt(m.group(1)) >= 1
                && Integer.parseInt(m.group(1)) <= 65_535;
        return rule(ok, field, value, "be host:port with a port from 1 to 65535");
    }

    /** {@code value} is at least {@code min}. */
    public FieldCheck atLeast(String field, long value, long min) {
        return rule(value >= min, field, value, min == 0 ? "not be negative" : "be at least " + min);
    }

    /** {@code value} is from {@code min} to {@code max}. */
    public FieldCheck between(String field, long value, long min, long max) {
        return rule(value >= min && value <= max, field, value, "be from " + min + " to " + max);
    }

    /** {@code ok}, or {@code field} with {@code value} fails: it must {@code must}. */
    public FieldCheck rule(boolean ok, String field, Object value, String must) {
        return ok ? this : fail(field, value, must);
    }

    /** Unless a problem was found already, the one {@code check} finds, if any. */
    public FieldCheck then(Supplier<Optional<Refusal>> check) {
        if (first == null) {
            first = check.get().orElse(null);
        }
        return this;
    }

    /** The first problem found. */
    public Optional<Refusal> result() {
        return Optional.ofNullable(first);
    }

    private FieldCheck fail(String field, Object value, String must) {
        if (first == null) {
            first = Refusal.invalid(field, value, must);
        }
        return this;
    }
}
