package io.webcall.account.webhook;

import io.webcall.account.error.ApiException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/** Checks webhook URLs: absolute HTTPS with a host, no credentials; plain HTTP to loopback only when allowed. */
final class WebhookUrls {

    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    private WebhookUrls() {
    }

    static URI check(String url, boolean allowHttpLoopback) {
        if (url == null || url.isBlank()) {
            throw ApiException.invalid("url", "url is required");
        }
        if (url.length() > 2048) {
            throw ApiException.invalid("url", "url must be at most 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw ApiException.invalid("url", "url is not a valid URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? null : uri.getHost().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || host == null || host.isEmpty()) {
            throw ApiException.invalid("url", "url must be absolute with a host, e.g. https://example.com/hooks/calls");
        }
        if (uri.getRawUserInfo() != null) {
            throw ApiException.invalid("url", "url must not contain credentials");
        }
        if (uri.getRawFragment() != null) {
            throw ApiException.invalid("url", "url must not contain a fragment");
        }
        if ("https".equals(scheme)) {
            return uri;
        }
        if ("http".equals(scheme) && allowHttpLoopback && LOOPBACK.contains(host)) {
            return uri;
        }
        throw ApiException.invalid("url", "url must use https");
    }
}
