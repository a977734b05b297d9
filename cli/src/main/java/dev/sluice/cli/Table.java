package dev.sluice.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table of text: a header row and rows, each column as wide as its widest cell, columns two
 * spaces apart, numbers right-aligned, no trailing spaces. Cells longer than
 * {@link #MAX_CELL} characters are cut with "...", a null cell shows as "-".
 */
final class Table {

    /** The widest a cell may be. */
    static final int MAX_CELL = 48;

    private static final String GAP = "  ";

    private final String[] headers;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    /**
     * @param headers the column titles; one ending in {@code ">"} is right-aligned (the "&gt;" is not shown)
     */
    Table(String... headers) {
        this.headers = new String[headers.length];
        this.right = new boolean[headers.length];
        for (int i = 0; i < headers.length; i++) {
            right[i] = headers[i].endsWith(">");
            this.headers[i] = right[i] ? headers[i].substring(0, headers[i].length() - 1) : headers[i];
        }
    }

    /** Adds a row: one cell per column, each shown with {@link String#valueOf} ("-" for null). */
    Table row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells for " + headers.length + " columns");
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = Fmt.abbreviate(cells[i] == null ? "-" : String.valueOf(cells[i]), MAX_CELL);
        }
        rows.add(row);
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, one line per row after the header, each ending in a newline. */
    String render() {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
            for (String[] row : rows) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        line(sb, headers, widths);
        rows.forEach(row -> line(sb, row, widths));
        return sb.toString();
    }

    private void line(StringBuilder sb, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                line.append(GAP);
            }
            String pad = " ".repeat(widths[i] - cells[i].length());
            line.append(right[i] ? pad + cells[i] : cells[i] + pad);
        }
        sb.append(line.toString().stripTrailing()).append('\n');
    }

    /**
     * Key-value lines: each key padded to the widest, then its value ({@code "-"} for null).
     *
     * @param pairs key, value, key, value ...
     */
    static String fields(Object... pairs) {
        if (pairs.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values in pairs: " + Arrays.toString(pairs));
        }
        int width = 0;
        for (int i = 0; i < pairs.length; i += 2) {
            width = Math.max(width, String.valueOf(pairs[i]).length());
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            String key = String.valueOf(pairs[i]);
            String value = pairs[i + 1] == null ? "-" : String.valueOf(pairs[i + 1]);
            sb.append((key + " ".repeat(width - key.length()) + GAP + value).stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
