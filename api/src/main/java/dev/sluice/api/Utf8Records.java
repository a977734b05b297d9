package dev.sluice.api;

/**
 * Records that can hand out their text still encoded, for partition functions that scan text
 * and would otherwise build a string per record only to take it apart (the pipeline's word
 * count). The records a task reads straight from a receiver block come as such an iterator:
 * a function given an {@code Iterator<String>} may check for this interface and read bytes.
 */
public interface Utf8Records {

    /** Where the records go. */
    interface Sink {

        /**
         * A string record, as {@code length} bytes of UTF-8 from {@code offset}. The bytes
         * belong to the reader: read them during the call, do not keep or change them.
         */
        void text(byte[] bytes, int offset, int length);

        /** Any other record (null included), decoded. */
        void other(Object record);
    }

    /** Hands every record not yet read to {@code sink}, in order, and leaves none unread. */
    void drainTo(Sink sink);
}
