"""A persistent job queue on top of the kvstore server."""

from jobqueue.models import Job
from jobqueue.queue import JobQueue, JobStateError
from jobqueue.store import JobNotFound
from jobqueue.worker import Worker

__all__ = ["Job", "JobNotFound", "JobQueue", "JobStateError", "Worker"]
