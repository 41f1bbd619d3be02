package io.webcall.account.apikey;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A tenant API key. Only the SHA-256 of the key is stored; the key is shown once, at creation. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    public String name;

    /** The first characters of the key ({@code wk_} + 8), to recognise it in listings. */
    public String prefix;

    @Column(name = "key_hash")
    public String keyHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_used_at")
    public Instant lastUsedAt;

    public static Optional<ApiKey> findByHash(String hash) {
        return find("keyHash", hash).firstResultOptional();
    }

    public static List<ApiKey> listForTenant(UUID tenantId) {
        return list("tenantId = ?1 order by createdAt, id", tenantId);
    }

    public static Optional<ApiKey> findForTenant(UUID tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
    }
}
