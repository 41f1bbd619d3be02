-- ES256 key pairs that sign access tokens. The newest key without retired_at signs; retired keys
-- stay published in the JWKS until publish_until, after every token they signed has expired.

CREATE TABLE signing_key (
    kid                varchar(64)  PRIMARY KEY,
    algorithm          varchar(16)  NOT NULL,
    -- X.509 SubjectPublicKeyInfo, base64.
    public_key         text         NOT NULL,
    -- PKCS#8 private key encrypted with AES-GCM under webcall.crypto.secret-key.
    private_key_enc    text         NOT NULL,
    created_at         timestamptz  NOT NULL,
    retired_at         timestamptz,
    publish_until      timestamptz
);

CREATE INDEX signing_key_active_idx ON signing_key (created_at) WHERE retired_at IS NULL;
