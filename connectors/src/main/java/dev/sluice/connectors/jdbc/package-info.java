/**
 * A JDBC sink for {@link dev.sluice.api.DStream#foreachBatch}: each batch is written in one
 * transaction together with a progress row keyed by (sink name, batch time), so a replayed,
 * retried or speculative batch is written exactly once.
 *
 * <p>The SQL is PostgreSQL's ({@code INSERT ... ON CONFLICT ... DO UPDATE}), which
 * PostgreSQL-compatible databases (CockroachDB, YugabyteDB) and SQLite also accept. The sink
 * uses plain {@code java.sql}; the job brings the driver.
 */
package dev.sluice.connectors.jdbc;
