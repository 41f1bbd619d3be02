-- Call records built from the call-events and media-stats Kafka topics.
-- A record is a pure function of the set of events of its call, so redelivered and reordered
-- events give the same row (see io.webcall.account.call.CallRecordState).

CREATE TABLE call_record (
    -- deterministic: name-based UUID of (tenant id, call id), so every consumer computes the same one
    id               uuid          PRIMARY KEY,
    tenant_id        uuid          NOT NULL,
    call_id          varchar(256)  NOT NULL,
    from_uri         varchar(512),
    to_uri           varchar(512),
    username         varchar(64),
    direction        varchar(8)    CHECK (direction IN ('inbound', 'outbound', 'internal')),
    status           varchar(12)   NOT NULL CHECK (status IN
                        ('ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'canceled', 'failed')),
    started_at       timestamptz   NOT NULL,
    ringing_at       timestamptz,
    answered_at      timestamptz,
    ended_at         timestamptz,
    ring_ms          bigint,
    talk_ms          bigint,
    sip_code         smallint,
    cause            varchar(128),
    hangup_by        varchar(8)    CHECK (hangup_by IN ('caller', 'callee', 'system')),
    -- seq of the event that supplied from/to/user/direction (the lowest seen)
    info_seq         bigint        NOT NULL,
    -- highest per-call seq applied; together with the event table it shows gaps
    last_seq         bigint        NOT NULL,
    event_count      integer       NOT NULL,
    updated_at       timestamptz   NOT NULL
);

-- GET /v1/calls: newest first within a tenant, keyset on (started_at, id).
CREATE INDEX call_record_tenant_started_idx ON call_record (tenant_id, started_at DESC, id DESC);
-- the same order under the selective filters
CREATE INDEX call_record_tenant_user_idx ON call_record (tenant_id, username, started_at DESC, id DESC);
CREATE INDEX call_record_tenant_status_idx ON call_record (tenant_id, status, started_at DESC, id DESC);
CREATE INDEX call_record_tenant_from_idx ON call_record (tenant_id, from_uri, started_at DESC, id DESC);
CREATE INDEX call_record_tenant_to_idx ON call_record (tenant_id, to_uri, started_at DESC, id DESC);

-- The timeline of a call: every distinct event, deduplicated by event id and by (call, seq).
CREATE TABLE call_event (
    event_id         uuid          PRIMARY KEY,
    record_id        uuid          NOT NULL,
    tenant_id        uuid          NOT NULL,
    seq              bigint        NOT NULL,
    type             varchar(10)   NOT NULL CHECK (type IN ('initiated', 'ringing', 'answered', 'ended')),
    occurred_at      timestamptz   NOT NULL,
    sip_code         smallint,
    cause            varchar(128),
    hangup_by        varchar(8),
    received_at      timestamptz   NOT NULL,
    CONSTRAINT call_event_seq_unique UNIQUE (record_id, seq)
);

-- Media quality per call and direction, latest report (highest seq) wins. Keyed by the call id
-- alone: the relay may not know the tenant.
CREATE TABLE call_media (
    call_id          varchar(256)  PRIMARY KEY,
    tenant_id        uuid,
    seq              bigint        NOT NULL,
    final            boolean       NOT NULL,
    reported_at      timestamptz   NOT NULL,
    c2c_packets      bigint,
    c2c_bytes        bigint,
    c2c_lost         bigint,
    c2c_jitter_ms    double precision,
    c2c_rtt_ms       double precision,
    c2c_mos          double precision,
    c2r_packets      bigint,
    c2r_bytes        bigint,
    c2r_lost         bigint,
    c2r_jitter_ms    double precision,
    c2r_rtt_ms       double precision,
    c2r_mos          double precision
);

-- Messages that are not valid events are kept, not dropped, for an operator to look at.
CREATE TABLE call_event_rejected (
    id               bigserial     PRIMARY KEY,
    topic            varchar(255)  NOT NULL,
    kafka_partition  integer       NOT NULL,
    kafka_offset     bigint        NOT NULL,
    message_key      text,
    payload          bytea,
    error            text          NOT NULL,
    received_at      timestamptz   NOT NULL,
    CONSTRAINT call_event_rejected_unique UNIQUE (topic, kafka_partition, kafka_offset)
);
