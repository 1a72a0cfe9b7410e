-- 004: grading integrity (issue 7). The static scan's verdict on each attempt's change, the
-- review a person gave a suspect attempt, and whether the task was run without proof
-- that it is valid (`routr bench --allow-unvalidated`). Tampering (a canary test
-- contradicted) shows as reason 'tampered'. A suspect attempt whose tests passed is
-- stored with status 'suspect' and solved = false; `routr attempts review KEY --accept`
-- turns it into status 'solved', solved = true. Older attempts read as not suspect,
-- not reviewed and validated. The index is dropped around the change (see 002).
DROP INDEX attempts_model_idx;
ALTER TABLE attempts ADD COLUMN suspect BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE attempts ADD COLUMN suspect_hits JSON NOT NULL DEFAULT '[]';  -- [{rule, path, line, text}]
ALTER TABLE attempts ADD COLUMN review VARCHAR;                          -- NULL | accepted | rejected
ALTER TABLE attempts ADD COLUMN reviewed_at TIMESTAMP;
ALTER TABLE attempts ADD COLUMN unvalidated BOOLEAN NOT NULL DEFAULT false;
CREATE INDEX attempts_model_idx ON attempts (model);
