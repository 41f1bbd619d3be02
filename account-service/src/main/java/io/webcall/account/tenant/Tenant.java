package io.webcall.account.tenant;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** A customer of the platform: a SIP domain, its users, and optionally the PBX trunk its calls go to. */
@Entity
@Table(name = "tenant")
public class Tenant extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    /** SIP domain, lower-case; the digest realm of the tenant's users. */
    public String domain;

    /** {@code active} or {@code suspended}. */
    public String status;

    @Column(name = "pbx_uri")
    public String pbxUri;

    @Column(name = "pbx_transport")
    public String pbxTransport;

    @Column(name = "pbx_host")
    public String pbxHost;

    @Column(name = "pbx_port")
    public Integer pbxPort;

    @Column(name = "pbx_username")
    public String pbxUsername;

    /** AES-GCM ciphertext of the trunk password, see {@link io.webcall.account.crypto.SecretCipher}. */
    @Column(name = "pbx_password_enc")
    public String pbxPasswordEnc;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Optional<Tenant> findByDomain(String domain) {
        return find("domain", domain.toLowerCase(Locale.ROOT)).firstResultOptional();
    }

    public static List<Tenant> findByPbxAddress(String host, Integer port) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (port == null) {
            return list("lower(pbxHost) = ?1 order by createdAt, id", bare.toLowerCase(Locale.ROOT));
        }
        return list("lower(pbxHost) = ?1 and pbxPort = ?2 order by createdAt, id", bare.toLowerCase(Locale.ROOT), port);
    }

    /**
     * Tenants whose trunk is given by host name rather than IP address (on {@code port}, or any port when
     * null): the candidates {@link PbxHostResolver} matches a source address against.
     */
    public static List<Tenant> findByPbxHostName(Integer port) {
        List<Tenant> withTrunk = port == null
                ? list("pbxHost is not null and pbxHost not like '%:%' order by createdAt, id")
                : list("pbxHost is not null and pbxHost not like '%:%' and pbxPort = ?1 order by createdAt, id", port);
        return withTrunk.stream().filter(t -> PbxHostResolver.literal(t.pbxHost) == null).toList();
    }

    public boolean hasPbx() {
        return pbxUri != null;
    }

    /** Additional authenticated data binding the encrypted trunk password to this tenant. */
    public String pbxPasswordContext() {
        return "tenant-pbx-password:" + id;
    }
}
