package dev.sluice.connectors.jdbc;

/** What the sink does when a row's key is already in the table. */
public enum WriteMode {

    /**
     * Replace the value columns with the new values
     * ({@code ON CONFLICT (keys) DO UPDATE SET v = EXCLUDED.v}); with no value columns, keep
     * the existing row. Suits per-batch or per-window results, such as the latest count of a key.
     */
    UPSERT,

    /**
     * Add the new values to the stored ones ({@code v = t.v + EXCLUDED.v}), for running totals
     * over batches. Not idempotent by itself: the progress row is what keeps a replayed batch
     * from being added twice. Value columns must be numeric and should be {@code NOT NULL},
     * since SQL's {@code NULL + x} is {@code NULL}.
     */
    INCREMENT
}
