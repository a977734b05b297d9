package dev.sluice.coordinator.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The body of {@code PUT /api/pools/{pool}/replicas}: {@code {"replicas": N}}. Parsed here
 * rather than by the JSON binding so that every bad body gets a 400 that names the field.
 */
record ReplicasRequest(int replicas) {

    private static final String EXAMPLE = "send {\"replicas\": N}, e.g. {\"replicas\": 3}";

    static ReplicasRequest parse(String body, ObjectMapper json) {
        if (body == null || body.isBlank()) {
            throw ProblemException.badRequest("the body is empty; " + EXAMPLE);
        }
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw ProblemException.badRequest("the body is not JSON (" + e.getOriginalMessage() + "); " + EXAMPLE);
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badRequest("the body must be a JSON object; " + EXAMPLE);
        }
        JsonNode replicas = root.get("replicas");
        if (replicas == null || replicas.isNull()) {
            throw ProblemException.badRequest("replicas: missing; " + EXAMPLE);
        }
        if (!replicas.isIntegralNumber() || !replicas.canConvertToInt()) {
            throw ProblemException.badRequest("replicas: must be a whole number, got " + replicas);
        }
        if (replicas.intValue() < 0) {
            throw ProblemException.badRequest("replicas: must be 0 or more, got " + replicas.intValue());
        }
        return new ReplicasRequest(replicas.intValue());
    }
}
