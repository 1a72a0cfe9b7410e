-- 006: `routr compare --all` stores every paired comparison here for the site to read.
-- One row per (solver, category, a, b); the full result (intervals, test, verdict, task
-- lists) is the JSON payload, so new figures need no schema change. Each compare --all
-- replaces the table's contents in one transaction.
CREATE TABLE comparisons (
    solver       VARCHAR NOT NULL,
    category     VARCHAR NOT NULL,
    a            VARCHAR NOT NULL,
    b            VARCHAR NOT NULL,
    simulated    BOOLEAN NOT NULL,
    winner       VARCHAR,
    p_value      DOUBLE,
    q_value      DOUBLE,
    payload      JSON NOT NULL,
    computed_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (solver, category, a, b)
);
