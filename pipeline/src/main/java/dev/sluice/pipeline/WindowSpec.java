package dev.sluice.pipeline;

import java.time.Duration;

/**
 * A window of {@code length}, emitted every {@code slide}.
 *
 * @param length the window's length
 * @param slide  how often it is emitted; {@code null} for every batch
 * @param path   where in the spec it was written, for errors found when it is defined
 */
public record WindowSpec(Duration length, Duration slide, String path) {
}
