package io.webcall.account.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Iterator;
import java.util.stream.Collectors;

/**
 * Turns every failure into the JSON {@link ApiError} body: refused requests, malformed JSON,
 * unknown fields, wrong types, bean-validation violations, unknown routes and unexpected errors.
 * Nothing answers with HTML or an empty body.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response apiException(ApiException e) {
        return ErrorResponses.of(e);
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = JsonFields.path(e);
        return ErrorResponses.of(400, "unknown_field",
                "unknown field '" + e.getPropertyName() + "'" + JsonFields.knownFields(e), field);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return wrongType(e);
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return wrongType(e);
    }

    @ServerExceptionMapper
    public Response valueInstantiation(ValueInstantiationException e) {
        if (e.getCause() instanceof ApiException api) {
            return ErrorResponses.of(api);
        }
        return ErrorResponses.of(400, "invalid_field", "invalid value: " + JsonFields.reason(e), JsonFields.path(e));
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e) {
        return ErrorResponses.of(400, "invalid_field", "invalid value: " + JsonFields.reason(e), JsonFields.path(e));
    }

    @ServerExceptionMapper
    public Response malformedJson(StreamReadException e) {
        return ErrorResponses.of(400, "invalid_json", "the body is not valid JSON: " + JsonFields.reason(e), null);
    }

    @ServerExceptionMapper
    public Response jsonProcessing(JsonProcessingException e) {
        return ErrorResponses.of(400, "invalid_json", "the body is not valid JSON: " + JsonFields.reason(e), null);
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        ConstraintViolation<?> first = e.getConstraintViolations().stream().findFirst().orElse(null);
        if (first == null) {
            return ErrorResponses.of(400, "invalid_field", e.getMessage(), null);
        }
        String field = leafName(first.getPropertyPath());
        String message = e.getConstraintViolations().stream()
                .map(v -> leafName(v.getPropertyPath()) + " " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return ErrorResponses.of(400, "invalid_field", message, field);
    }

    /** A unique constraint hit by a concurrent request that passed the service's own check. */
    @ServerExceptionMapper
    public Response uniqueViolation(org.hibernate.exception.ConstraintViolationException e) {
        String constraint = e.getConstraintName() == null ? "" : e.getConstraintName();
        if (constraint.contains("domain_unique")) {
            return ErrorResponses.of(409, "conflict", "the domain is already used by another tenant", "domain");
        }
        if (constraint.contains("username_unique")) {
            return ErrorResponses.of(409, "conflict", "the username already exists in this tenant", "username");
        }
        LOG.error("database constraint violated", e);
        return ErrorResponses.of(409, "conflict", "the change conflicts with existing data", null);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        if (e.getCause() instanceof UnrecognizedPropertyException cause) {
            return unknownField(cause);
        }
        if (e.getCause() instanceof MismatchedInputException cause) {
            return wrongType(cause);
        }
        if (e.getCause() instanceof JsonMappingException cause) {
            return jsonMapping(cause);
        }
        if (e.getCause() instanceof JsonProcessingException cause) {
            return jsonProcessing(cause);
        }
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
            return ErrorResponses.of(status, "internal_error", "internal error", null);
        }
        String code = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            default -> "bad_request";
        };
        String message = switch (status) {
            case 404 -> "no such resource";
            case 405 -> "method not allowed on this resource";
            case 415 -> "the body must be application/json";
            default -> e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase() : e.getMessage();
        };
        return ErrorResponses.of(status, code, message, null);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("request failed", e);
        return ErrorResponses.of(500, "internal_error", "internal error", null);
    }

    private Response wrongType(MismatchedInputException e) {
        String field = JsonFields.path(e);
        if (field == null) {
            return ErrorResponses.of(400, "invalid_json", "the body must be a JSON object", null);
        }
        String expected = e.getTargetType() == null ? "another type" : JsonFields.typeName(e.getTargetType());
        return ErrorResponses.of(400, "invalid_type", "field '" + field + "' must be " + expected, field);
    }

    private static String leafName(Path path) {
        String leaf = null;
        Iterator<Path.Node> nodes = path.iterator();
        while (nodes.hasNext()) {
            Path.Node node = nodes.next();
            if (node.getName() != null) {
                leaf = node.getName();
            }
        }
        return leaf;
    }
}
