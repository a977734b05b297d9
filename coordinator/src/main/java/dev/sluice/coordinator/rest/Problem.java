package dev.sluice.coordinator.rest;

/**
 * An error body in the RFC 9457 {@code application/problem+json} shape.
 *
 * @param type     a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param title    a short summary of the kind of problem
 * @param status   the HTTP status
 * @param detail   what went wrong in this case, and what to fix
 * @param instance the request path it happened on
 */
public record Problem(String type, String title, int status, String detail, String instance) {

    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";
}
