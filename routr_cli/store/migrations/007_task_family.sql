-- 007: a task's family (task.toml's optional `family`, set by the importers from the
-- import source): tasks that share an origin, which the ranking's bootstrap resamples
-- as one unit. NULL (older snapshots, tasks without one) reads as the task id.
ALTER TABLE task_snapshots ADD COLUMN family VARCHAR;
