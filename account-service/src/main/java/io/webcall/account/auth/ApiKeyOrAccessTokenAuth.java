package io.webcall.account.auth;

import jakarta.ws.rs.NameBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Resources that a tenant API key or a user's access token may read, checked by
 * {@link ApiKeyOrAccessTokenFilter}. The resource restricts a user to their own data.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ApiKeyOrAccessTokenAuth {
}
