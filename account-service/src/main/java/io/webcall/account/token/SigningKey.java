package io.webcall.account.token;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.List;

/**
 * An ES256 key pair that signs access tokens. The newest key that is not retired signs new tokens;
 * a retired key stays in the JWKS until {@link #publishUntil}, after every token it signed expired.
 */
@Entity
@Table(name = "signing_key")
public class SigningKey extends PanacheEntityBase {

    /** JWK thumbprint (RFC 7638) of the public key; the {@code kid} header of the tokens it signs. */
    @Id
    public String kid;

    public String algorithm;

    /** X.509 SubjectPublicKeyInfo, base64. */
    @Column(name = "public_key")
    public String publicKey;

    /** PKCS#8 private key, AES-GCM encrypted, see {@link io.webcall.account.crypto.SecretCipher}. */
    @Column(name = "private_key_enc")
    public String privateKeyEnc;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "publish_until")
    public Instant publishUntil;

    /** Keys to publish at {@code now}: the active ones and the retired ones still covering live tokens. */
    public static List<SigningKey> published(Instant now) {
        return list("retiredAt is null or publishUntil > ?1 order by createdAt desc", now);
    }

    public static List<SigningKey> active() {
        return list("retiredAt is null order by createdAt desc");
    }

    /** Context binding the encrypted private key to its kid. */
    public String privateKeyContext() {
        return "signing-key:" + kid;
    }
}
