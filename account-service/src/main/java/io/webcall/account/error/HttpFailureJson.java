package io.webcall.account.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A body announced larger than {@code quarkus.http.limits.max-body-size} is refused with 413 and
 * the same JSON error body as every other failure (the HTTP layer alone would answer with an empty
 * body), before any of it is read.
 */
@ApplicationScoped
public class HttpFailureJson {

    private final ObjectMapper json;
    private final long maxBodyBytes;

    public HttpFailureJson(ObjectMapper json,
                           @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K") MemorySize maxBody) {
        this.json = json;
        this.maxBodyBytes = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkLength);
    }

    private void checkLength(RoutingContext ctx) {
        String length = ctx.request().getHeader("Content-Length");
        long announced;
        try {
            announced = length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            announced = -1;
        }
        if (announced <= maxBodyBytes) {
            ctx.next();
            return;
        }
        try {
            String body = json.writeValueAsString(new ApiError("payload_too_large",
                    "the request body is larger than " + maxBodyBytes + " bytes", null));
            ctx.response().setStatusCode(413)
                    .putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "close")
                    .end(body);
        } catch (JsonProcessingException e) {
            ctx.next();
        }
    }
}
