package dev.sluice.protocol.check;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.util.Locale;

/**
 * Why an input from the network was refused or limited: the gRPC status code to answer with,
 * a detail that names the field and its bad value, and the reason it is counted under
 * ({@link RefusalCounter}). The checks return one; the services only answer and count it.
 *
 * @param reason what kind of refusal, a metrics label
 * @param code   the status a gRPC caller gets
 * @param detail the status description: the field, its value and what was expected
 */
public record Refusal(Reason reason, Status.Code code, String detail) {

    /** The longest value a detail repeats: values come from the network. */
    private static final int SHOWN_CHARS = 80;

    /** What kind of refusal: the fixed set of values of the {@code reason} label. */
    public enum Reason {
        /** No cluster token, or a wrong one. */
        UNAUTHENTICATED,
        /** A field that is missing, out of range or malformed. */
        INVALID,
        /** Names a job, source, block or output this process does not hold. */
        UNKNOWN,
        /** From an epoch, attempt or run that is over: ignored, never counted as a result. */
        STALE,
        /** A time later than now plus the allowed clock skew. */
        FUTURE,
        /** A batch time that is not on the job's batch grid. */
        OFF_GRID,
        /** Larger than a configured limit. */
        TOO_LARGE,
        /** Contradicts what was reported before under the same id. */
        CONFLICT,
        /** Taken, but cut down to a configured maximum. */
        CLAMPED;

        /** The label value: the name in lower case. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code field} has a bad {@code value}: it {@code must} ..., answered {@code INVALID_ARGUMENT}. */
    public static Refusal invalid(String field, Object value, String must) {
        return new Refusal(Reason.INVALID, Status.Code.INVALID_ARGUMENT, field + " must " + must + ", got " + shown(value));
    }

    /** Something named by the input is not held here, answered {@code NOT_FOUND}. */
    public static Refusal unknown(String detail) {
        return new Refusal(Reason.UNKNOWN, Status.Code.NOT_FOUND, detail);
    }

    /** The gRPC error to answer with. */
    public StatusRuntimeException asException() {
        return Status.fromCode(code).withDescription(detail).asRuntimeException();
    }

    /**
     * {@code value} as a detail shows it: strings quoted, and cut short, so that a huge or
     * hostile value cannot flood answers and logs.
     */
    public static String shown(Object value) {
        if (!(value instanceof CharSequence s)) {
            return String.valueOf(value);
        }
        String text = s.length() <= SHOWN_CHARS ? s.toString() : s.subSequence(0, SHOWN_CHARS) + "...(" + s.length() + " chars)";
        return "'" + text.replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
