-- Tenants, their SIP users and their API keys.

CREATE TABLE tenant (
    id                 uuid         PRIMARY KEY,
    name               varchar(200) NOT NULL,
    -- SIP domain, stored lower-case; also the digest realm of the tenant's users.
    domain             varchar(253) NOT NULL,
    status             varchar(16)  NOT NULL CHECK (status IN ('active', 'suspended')),
    pbx_uri            varchar(512),
    pbx_transport      varchar(8)   CHECK (pbx_transport IN ('udp', 'tcp', 'tls')),
    -- host and port parsed from pbx_uri, for the edge's lookup of inbound PBX traffic.
    pbx_host           varchar(253),
    pbx_port           integer      CHECK (pbx_port BETWEEN 1 AND 65535),
    pbx_username       varchar(128),
    -- AES-GCM ciphertext (the password must be sent to the PBX, so it cannot be hashed).
    pbx_password_enc   varchar(1024),
    created_at         timestamptz  NOT NULL,
    updated_at         timestamptz  NOT NULL,
    CONSTRAINT tenant_domain_unique UNIQUE (domain),
    CONSTRAINT tenant_pbx_complete CHECK ((pbx_uri IS NULL) = (pbx_transport IS NULL))
);

CREATE INDEX tenant_pbx_address_idx ON tenant (lower(pbx_host), pbx_port) WHERE pbx_host IS NOT NULL;

CREATE TABLE sip_user (
    id             uuid         PRIMARY KEY,
    tenant_id      uuid         NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    username       varchar(64)  NOT NULL,
    display_name   varchar(128),
    -- RFC 7616 section 3.4.2 HA1 = H(username ":" realm ":" password), realm = tenant domain.
    ha1_md5        char(32)     NOT NULL,
    ha1_sha256     char(64)     NOT NULL,
    enabled        boolean      NOT NULL,
    created_at     timestamptz  NOT NULL,
    updated_at     timestamptz  NOT NULL,
    CONSTRAINT sip_user_username_unique UNIQUE (tenant_id, username)
);

CREATE TABLE api_key (
    id             uuid         PRIMARY KEY,
    tenant_id      uuid         NOT NULL REFERENCES tenant (id) ON DELETE CASCADE,
    name           varchar(100) NOT NULL,
    -- first characters of the key, shown in listings so a key can be recognised.
    prefix         varchar(16)  NOT NULL,
    -- hex SHA-256 of the whole key; the key itself is never stored.
    key_hash       char(64)     NOT NULL,
    created_at     timestamptz  NOT NULL,
    last_used_at   timestamptz,
    CONSTRAINT api_key_hash_unique UNIQUE (key_hash)
);

CREATE INDEX api_key_tenant_idx ON api_key (tenant_id, created_at);
