package dev.sluice.coordinator.rest;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Answers every REST error with a problem+json body. */
public class ProblemMapper {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e.status(), e.title(), e.getMessage(), uri);
    }

    @ServerExceptionMapper
    public Response webError(WebApplicationException e, UriInfo uri) {
        if (e.getCause() instanceof JsonProcessingException unreadable) {
            // The JSON binding wraps what made the body unreadable in a bare 400: say what it was.
            return unreadableBody(unreadable, uri);
        }
        Response.StatusType status = e.getResponse().getStatusInfo();
        return respond(status.getStatusCode(), status.getReasonPhrase(), e.getMessage(), uri);
    }

    /**
     * A body the JSON binding cannot read (not JSON, nested too deep, a field of the wrong type)
     * is the client's error: 400 naming the field, not the framework's bare 400 or a 500.
     */
    @ServerExceptionMapper
    public Response unreadableBody(JsonProcessingException e, UriInfo uri) {
        return respond(400, "Bad Request", unreadable(e), uri);
    }

    // The JSON binding has built-in mappers for these two; ours, of the same types, take precedence.
    @ServerExceptionMapper
    public Response unparsableBody(JsonParseException e, UriInfo uri) {
        return unreadableBody(e, uri);
    }

    @ServerExceptionMapper
    public Response mismatchedBody(MismatchedInputException e, UriInfo uri) {
        return unreadableBody(e, uri);
    }

    /** {@code <field path>: <what Jackson says>}, or what makes the body no JSON at all; cut to 300 chars. */
    static String unreadable(JsonProcessingException e) {
        String why = String.valueOf(e.getOriginalMessage());
        why = why.length() > 300 ? why.substring(0, 300) + "..." : why;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference r : m.getPath()) {
                if (r.getFieldName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(r.getFieldName());
                } else {
                    path.append('[').append(r.getIndex()).append(']');
                }
            }
            return path + ": " + why;
        }
        return (e instanceof JsonMappingException ? "the body does not have the expected shape: "
                : "the body is not valid JSON: ") + why;
    }

    private static Response respond(int status, String title, String detail, UriInfo uri) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail, uri.getPath()))
                .build();
    }
}
