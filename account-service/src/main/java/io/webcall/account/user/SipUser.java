package io.webcall.account.user;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A SIP user of a tenant: {@code sip:<username>@<tenant domain>}. The password is kept only as HA1. */
@Entity
@Table(name = "sip_user")
public class SipUser extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public UUID tenantId;

    public String username;

    @Column(name = "display_name")
    public String displayName;

    /** MD5 HA1 with realm = tenant domain, see {@link DigestHa1}. */
    @Column(name = "ha1_md5")
    public String ha1Md5;

    /** SHA-256 HA1 with realm = tenant domain, see {@link DigestHa1}. */
    @Column(name = "ha1_sha256")
    public String ha1Sha256;

    public boolean enabled;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<SipUser> findByUsername(UUID tenantId, String username) {
        return find("tenantId = ?1 and username = ?2", tenantId, username).firstResultOptional();
    }

    public static List<SipUser> listForTenant(UUID tenantId, int offset, int limit) {
        return find("tenantId = ?1 order by username", tenantId).range(offset, offset + limit - 1).list();
    }

    /** Sets both HA1 values for a new password. */
    public void setPassword(String realm, String password) {
        ha1Md5 = DigestHa1.md5(username, realm, password);
        ha1Sha256 = DigestHa1.sha256(username, realm, password);
    }
}
