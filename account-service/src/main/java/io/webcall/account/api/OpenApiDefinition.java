package io.webcall.account.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.info.License;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** OpenAPI description of the service: the three bearer schemes and the tags. */
@OpenAPIDefinition(
        info = @Info(title = "webcall account service", version = "1.0",
                description = "Tenants, users, SIP credentials, API keys, access tokens and client configuration. "
                        + "Errors are JSON: {\"error\": code, \"message\": text, \"field\": name or null}.",
                license = @License(name = "Apache-2.0")),
        tags = {
                @Tag(name = "tenants", description = "operator API: tenants and their PBX trunks"),
                @Tag(name = "users", description = "SIP users of a tenant"),
                @Tag(name = "api-keys", description = "API keys of a tenant"),
                @Tag(name = "tokens", description = "access tokens (JWT ES256) and their public keys"),
                @Tag(name = "client", description = "configuration for the browser SDK"),
                @Tag(name = "internal", description = "service-to-service lookups for the signaling edge")
        })
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = ApiSecurity.API_KEY, type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "an API key: the operator key (webcall.admin.api-key) or a tenant key (wk_...)"),
        @SecurityScheme(securitySchemeName = ApiSecurity.ACCESS_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
                bearerFormat = "JWT", description = "an access token from POST /v1/tokens"),
        @SecurityScheme(securitySchemeName = ApiSecurity.INTERNAL, type = SecuritySchemeType.HTTP, scheme = "bearer",
                description = "the shared service-to-service token (webcall.internal.token)")
})
public class OpenApiDefinition extends Application {
}
