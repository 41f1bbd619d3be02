package io.webcall.account.webhook;

import io.agroal.api.AgroalDataSource;
import io.webcall.account.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Base64;
import java.util.UUID;

/**
 * Per-tenant signing secrets of webhook deliveries: 32 random bytes, shown as {@code whsec_<base64url>},
 * stored AES-GCM encrypted (they must be read back to sign, so they cannot be hashed).
 */
@ApplicationScoped
public class WebhookSecrets {

    private final AgroalDataSource dataSource;
    private final SecretCipher cipher;
    private final SecureRandom random = new SecureRandom();

    public WebhookSecrets(AgroalDataSource dataSource, SecretCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** The tenant's secret, created on first use. */
    public String getOrCreate(UUID tenantId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO webhook_secret (tenant_id, secret_enc, created_at) VALUES (?, ?, now())
                    ON CONFLICT (tenant_id) DO NOTHING""")) {
                ps.setObject(1, tenantId);
                ps.setString(2, cipher.encrypt(newSecret(), context(tenantId)));
                ps.executeUpdate();
            }
            return read(c, tenantId);
        }
    }

    /** Replaces the tenant's secret; deliveries from now on are signed with the new one. */
    public String rotate(UUID tenantId) throws SQLException {
        String secret = newSecret();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO webhook_secret (tenant_id, secret_enc, created_at) VALUES (?, ?, now())
                ON CONFLICT (tenant_id) DO UPDATE SET secret_enc = EXCLUDED.secret_enc, created_at = EXCLUDED.created_at""")) {
            ps.setObject(1, tenantId);
            ps.setString(2, cipher.encrypt(secret, context(tenantId)));
            ps.executeUpdate();
        }
        return secret;
    }

    /** The current secret, or null when the tenant has none. */
    public String find(UUID tenantId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return read(c, tenantId);
        }
    }

    private String read(Connection c, UUID tenantId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT secret_enc FROM webhook_secret WHERE tenant_id = ?")) {
            ps.setObject(1, tenantId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? cipher.decryptToString(rs.getString(1), context(tenantId)) : null;
            }
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String context(UUID tenantId) {
        return "webhook-secret:" + tenantId;
    }
}
