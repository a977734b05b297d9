package dev.sluice.cli;

/**
 * The coordinator answered with an error (exit code 1): its status, and the title and
 * detail of its problem+json body, or what it said instead.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final String detail;

    ApiException(int status, String title, String detail) {
        super(status + " " + title + (detail == null || detail.isBlank() ? "" : ": " + detail));
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    int status() {
        return status;
    }

    String title() {
        return title;
    }

    String detail() {
        return detail;
    }
}
