-- 001: the first schema. Migrations are append-only: never edit a released file,
-- add 002_*.sql instead. Each file runs inside the opening transaction.

CREATE TABLE runs (
    id              VARCHAR PRIMARY KEY,
    started_at      TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP,
    argv            JSON NOT NULL,        -- the command line, key-looking values removed
    routr_version   VARCHAR NOT NULL,
    config          JSON NOT NULL,        -- resolved options (models, solver, epochs, ...)
    status          VARCHAR NOT NULL      -- running | completed | interrupted | budget | failed
);

CREATE TABLE task_snapshots (
    task_hash   VARCHAR PRIMARY KEY,      -- Task.content_hash: the exact task graded
    task_id     VARCHAR NOT NULL,
    title       VARCHAR NOT NULL,
    category    VARCHAR NOT NULL,
    language    VARCHAR NOT NULL,
    difficulty  VARCHAR NOT NULL,
    files       INTEGER NOT NULL,         -- files in repo/
    lines       INTEGER NOT NULL,         -- lines in repo/
    created_at  TIMESTAMP NOT NULL
);

CREATE TABLE attempts (
    attempt_key         VARCHAR PRIMARY KEY,   -- sha256(task hash, model, solver, params, epoch)
    run_id              VARCHAR NOT NULL,
    task_id             VARCHAR NOT NULL,
    task_hash           VARCHAR NOT NULL,
    category            VARCHAR NOT NULL,
    model               VARCHAR NOT NULL,
    provider            VARCHAR NOT NULL,
    simulated           BOOLEAN NOT NULL,
    solver              VARCHAR NOT NULL,
    solver_params       JSON NOT NULL,
    epoch               INTEGER NOT NULL,
    status              VARCHAR NOT NULL,      -- solved | failed | malformed_edit | ...
    solved              BOOLEAN NOT NULL,
    score               DOUBLE NOT NULL,
    reason              VARCHAR,
    error_message       VARCHAR,
    turns               INTEGER NOT NULL,
    first_turn_solved   BOOLEAN NOT NULL,
    input_tokens        BIGINT NOT NULL,
    output_tokens       BIGINT NOT NULL,
    cached_input_tokens BIGINT NOT NULL,
    cache_write_tokens  BIGINT NOT NULL,
    reasoning_tokens    BIGINT NOT NULL,
    cost_usd            DOUBLE,                -- from the price catalog; NULL when unpriced
    provider_cost_usd   DOUBLE,                -- what the vendor reported, when it does
    latency_s           DOUBLE NOT NULL,       -- model time, summed over turns
    grade_duration_s    DOUBLE NOT NULL,       -- sandbox time, summed over gradings
    timed_out           BOOLEAN NOT NULL,
    cached_responses    INTEGER NOT NULL,      -- turns answered from response_cache
    transcript          JSON NOT NULL,
    created_at          TIMESTAMP NOT NULL
);

CREATE INDEX attempts_model_idx ON attempts (model);

CREATE TABLE attempt_tests (
    attempt_key VARCHAR NOT NULL,
    test_id     VARCHAR NOT NULL,
    outcome     VARCHAR NOT NULL,             -- passed | failed | error | skipped
    duration_s  DOUBLE NOT NULL,
    PRIMARY KEY (attempt_key, test_id)
);

CREATE TABLE response_cache (
    cache_key   VARCHAR PRIMARY KEY,          -- sha256(model, epoch, request body)
    model       VARCHAR NOT NULL,
    response    JSON NOT NULL,
    created_at  TIMESTAMP NOT NULL
);
