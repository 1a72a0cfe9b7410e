-- Test-harness files (conftest.py, pytest.ini, Go *_test.go, a task's [grade].protected)
-- that an attempt's change touched and grading put back: a model trying to grade itself
-- is worth seeing in the results, not only stopped. Attempts recorded before this
-- migration read as an empty list. DuckDB cannot alter a table that has an index, so the
-- index is dropped around the change and made again.
DROP INDEX attempts_model_idx;
ALTER TABLE attempts ADD COLUMN restored_harness JSON NOT NULL DEFAULT '[]';
CREATE INDEX attempts_model_idx ON attempts (model);
