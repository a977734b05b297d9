package dev.sluice.coordinator.rest;

import java.util.Map;

/**
 * The body of {@code POST /api/jobs}: a job on the classpath by name (a built-in one such
 * as {@code wordcount} or {@code pipeline}, or the user's), and its arguments.
 *
 * @param name the job's name
 * @param args its {@code key=value} arguments; may be absent
 */
public record JobSubmission(String name, Map<String, String> args) {
}
