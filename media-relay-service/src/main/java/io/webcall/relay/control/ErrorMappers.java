package io.webcall.relay.control;

import io.webcall.relay.session.RelayException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Maps failures of control requests to the JSON error body with a fitting status. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response relay(RelayException e) {
        return Response.status(e.status()).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.of(e)).build();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String message = status == 400 ? "request body is not valid JSON of the expected shape" : e.getMessage();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ErrorBody(status == 400 ? "invalid_body" : "http_" + status, message, null)).build();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        LOG.error("control request failed", e);
        return Response.status(500).type(MediaType.APPLICATION_JSON)
                .entity(ErrorBody.internal()).build();
    }
}
