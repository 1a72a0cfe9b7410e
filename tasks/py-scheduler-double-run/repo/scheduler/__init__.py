"""In-process job scheduler with a thread pool."""

from scheduler.clock import Clock, ManualClock, SystemClock
from scheduler.core import Scheduler
from scheduler.job import Job, JobState
from scheduler.pool import WorkerPool

__all__ = ["Clock", "Job", "JobState", "ManualClock", "Scheduler", "SystemClock", "WorkerPool"]
