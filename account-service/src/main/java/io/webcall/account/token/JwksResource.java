package io.webcall.account.token;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;

import java.util.List;

/** The public keys that verify access tokens, as a JWK Set (RFC 7517 section 5). No authentication. */
@Path("/.well-known/jwks.json")
@Tag(name = "tokens")
public class JwksResource {

    private final SigningKeyStore keys;

    public JwksResource(SigningKeyStore keys) {
        this.keys = keys;
    }

    @GET
    @Produces({"application/jwk-set+json", "application/json"})
    @Operation(summary = "Public keys of the access tokens (current and recently retired)")
    @APIResponse(responseCode = "200", description = "JWK Set of ES256 keys")
    public Response jwks() {
        List<JsonWebKey> jwks = keys.published().stream()
                .<JsonWebKey>map(k -> EcKeys.jwk(k.publicKey(), k.kid()))
                .toList();
        String body = new JsonWebKeySet(jwks).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        return Response.ok(body).header("Cache-Control", "public, max-age=60").build();
    }
}
