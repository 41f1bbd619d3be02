-- Webhooks: tenants' HTTPS endpoints for call status changes, and the log of every delivery.

-- One signing secret per tenant (HMAC-SHA256 key). Stored encrypted (AES-GCM): it must be read
-- back to sign, so it cannot be hashed.
CREATE TABLE webhook_secret (
    tenant_id        uuid          PRIMARY KEY,
    secret_enc       varchar(512)  NOT NULL,
    created_at       timestamptz   NOT NULL
);

CREATE TABLE webhook (
    id               uuid          PRIMARY KEY,
    tenant_id        uuid          NOT NULL,
    url              varchar(2048) NOT NULL,
    -- subset of call.initiated, call.ringing, call.answered, call.completed
    events           varchar(16)[] NOT NULL,
    created_at       timestamptz   NOT NULL
);

CREATE INDEX webhook_tenant_idx ON webhook (tenant_id, created_at);

CREATE TABLE webhook_delivery (
    id               uuid          PRIMARY KEY,
    tenant_id        uuid          NOT NULL,
    webhook_id       uuid          NOT NULL REFERENCES webhook (id) ON DELETE CASCADE,
    event_id         uuid          NOT NULL,
    event_type       varchar(16)   NOT NULL,
    call_record_id   uuid          NOT NULL,
    payload          text          NOT NULL,
    status           varchar(10)   NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer       NOT NULL,
    next_attempt_at  timestamptz,
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       varchar(512),
    created_at       timestamptz   NOT NULL,
    delivered_at     timestamptz,
    -- one delivery per endpoint and event, however often the event is redelivered
    CONSTRAINT webhook_delivery_unique UNIQUE (webhook_id, event_id)
);

-- the dispatcher's work queue
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
-- the delivery log, newest first per tenant
CREATE INDEX webhook_delivery_log_idx ON webhook_delivery (tenant_id, created_at DESC, id DESC);
