package dev.sluice.engine.codec;

/** The one-byte type tags of the record codec. Values are part of the wire format: never renumber. */
final class Tag {
    static final byte NULL = 0;
    static final byte STRING = 1;
    static final byte INT = 2;
    static final byte LONG = 3;
    static final byte DOUBLE = 4;
    static final byte FLOAT = 5;
    static final byte TRUE = 6;
    static final byte FALSE = 7;
    static final byte PAIR = 8;
    static final byte LIST = 9;
    static final byte OPTIONAL_EMPTY = 10;
    static final byte OPTIONAL = 11;
    static final byte BYTES = 12;
    static final byte SHORT = 13;
    static final byte BYTE = 14;
    static final byte CHAR = 15;
    static final byte MAP = 16;
    static final byte SERIALIZED = 31;

    private Tag() {
    }
}
