-- 003: what `routr attempts show` opens. The prompt and the model's answers are already
-- in `transcript`; these add what an attempt did and what grading said about it:
--   diff          the applied change as a unified diff against the task's repo/ (capped)
--   grade_output  the hidden-test run's output, capped (head and tail kept, cut marked)
--   attempt_tests.message  each test's failure message, capped
-- Attempts recorded before this migration read NULL here: "not recorded", which is not
-- the same as '' (recorded, and empty). DuckDB cannot alter a table that has an index, so
-- the index is dropped around the change and made again.
DROP INDEX attempts_model_idx;
ALTER TABLE attempts ADD COLUMN diff VARCHAR;
ALTER TABLE attempts ADD COLUMN grade_output VARCHAR;
CREATE INDEX attempts_model_idx ON attempts (model);
ALTER TABLE attempt_tests ADD COLUMN message VARCHAR;
