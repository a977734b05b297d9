package dev.sluice.pipeline;

/**
 * What {@code pair} takes from a record for a key or a value: a field ({@code $0} the whole
 * record as it is, {@code $1} the first field, ..., each stripped of surrounding white space)
 * read as text or as a number, or a constant.
 *
 * @param field    the field number, or -1 for a constant
 * @param type     {@link ValueType#TEXT} or {@link ValueType#NUMBER}
 * @param constant the constant ({@code String}, {@code Long} or {@code Double}); {@code null} for a field
 */
public record Extractor(int field, ValueType type, Object constant) {

    /** The field {@code index} read as {@code type}. */
    public static Extractor field(int index, ValueType type) {
        return new Extractor(index, type, null);
    }

    /** Always {@code value}. */
    public static Extractor constant(Object value) {
        return new Extractor(-1, value instanceof String ? ValueType.TEXT : ValueType.NUMBER, value);
    }

    /**
     * The key or value for a record.
     *
     * @param fields the record's fields ({@code fields[0]} is the first); only read for fields 1 and up
     * @return {@code null} when the record has no such field, or it is not a number where one is wanted
     */
    Object extract(String record, String[] fields) {
        if (field < 0) {
            return constant;
        }
        String text = field == 0 ? record : field <= fields.length ? fields[field - 1].strip() : null;
        if (text == null || type == ValueType.TEXT) {
            return text;
        }
        return Numbers.parse(text);
    }
}
