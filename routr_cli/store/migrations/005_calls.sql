-- 005: the call log of `routr call` (and later `routr serve`). One row per routed call.
-- The prompt and the answer are stored only when the caller asks (--log-content or
-- ROUTR_LOG_CONTENT=1); API keys never.

CREATE TABLE calls (
    id              VARCHAR PRIMARY KEY,   -- "call-" + 12 hex
    created_at      TIMESTAMP NOT NULL,
    source          VARCHAR NOT NULL,      -- call | serve
    objective       VARCHAR NOT NULL,      -- auto | auto:cheap | auto:fast | a,b,c
    category        VARCHAR NOT NULL,      -- the standings slice used ("all": none dominant)
    categories      JSON NOT NULL,         -- the classifier's weights (or the override)
    language        VARCHAR,
    candidates      JSON NOT NULL,         -- ordered [{model, reasons, pass_rate, ...}]
    served_model    VARCHAR,               -- NULL when no candidate answered
    simulated       BOOLEAN NOT NULL,
    status          VARCHAR NOT NULL,      -- ok | error
    error_class     VARCHAR,
    error_message   VARCHAR,
    attempts        JSON NOT NULL,         -- [{model, provider, status, error_class, latency_s, ...}]
    input_tokens    BIGINT NOT NULL,
    output_tokens   BIGINT NOT NULL,
    cost_usd        DOUBLE,                -- the serving attempt only; NULL when unpriced
    latency_s       DOUBLE NOT NULL,
    ttft_s          DOUBLE,                -- streamed calls: time to first token
    streamed        BOOLEAN NOT NULL,
    conversation_id VARCHAR NOT NULL,      -- the turns of one conversation share it (-c)
    prompt          JSON,                  -- the messages, only with --log-content
    answer          VARCHAR,               -- only with --log-content
    feedback        VARCHAR,               -- pass | fail (`routr feedback`)
    feedback_at     TIMESTAMP
);
