import json
import threading
import warnings

import pytest

from jobqueue import JobNotFound, JobQueue, JobStateError, Worker
from vendor.kvstore.server import ManualClock, MemoryServer
from vendor.kvstore.v2 import Client


@pytest.fixture
def strict():
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        yield


def make(clock=None, **kwargs):
    clock = clock or ManualClock(start_ms=1_700_000_000_000)
    server = MemoryServer(clock=clock)
    return server, clock, JobQueue(server, now=lambda: clock.now_ms / 1000, **kwargs)


def test_queue_lifecycle_without_deprecated_client(strict):
    server, clock, queue = make()
    first = queue.enqueue("email", {"to": "a@example.com"})
    second = queue.enqueue("email", {"to": "b@example.com"}, delay=60)
    assert queue.pending() == [first, second]
    job = queue.claim_next("w1")
    assert (job.job_id, job.status, job.worker, job.attempts) == (first, "running", "w1", 1)
    assert queue.claim_next("w1") is None  # the second one is not due yet
    queue.complete(first, {"sent": True})
    assert queue.get(first).result == {"sent": True}
    clock.advance(61)
    assert queue.claim_next("w2").job_id == second
    queue.fail(second, "smtp timeout")
    assert queue.stats() == {"enqueued": 2, "completed": 1, "failed": 1, "dead": 0}
    with pytest.raises(JobNotFound):
        queue.get(999)


def test_workers_without_deprecated_client(strict):
    server, clock, queue = make()
    for n in range(5):
        queue.enqueue("square", {"n": n})
    queue.enqueue("unknown-kind")
    worker = Worker(queue, "w1", {"square": lambda p: p["n"] ** 2})
    assert worker.run_until_idle() == 6
    assert [queue.get(i).result for i in range(1, 6)] == [0, 1, 4, 9, 16]
    assert queue.get(6).last_error == "no handler for 'unknown-kind'"


@pytest.mark.parametrize("round_", range(3))
def test_racing_workers_never_claim_the_same_job(round_):
    server = MemoryServer(latency=0.002)
    setup = JobQueue(server)
    ids = [setup.enqueue("thumbnail", {"image": i}) for i in range(20)]
    claimed = []
    lock = threading.Lock()
    barrier = threading.Barrier(6)

    def work(name):
        queue = JobQueue(server)  # each worker process has its own queue object
        barrier.wait()
        while True:
            job = queue.claim_next(name)
            if job is None:
                return
            with lock:
                claimed.append(job.job_id)
            queue.complete(job.job_id, name)

    threads = [threading.Thread(target=work, args=(f"w{i}",), daemon=True) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not any(t.is_alive() for t in threads)
    assert sorted(claimed) == ids
    assert setup.stats()["completed"] == 20
    assert all(setup.get(i).attempts == 1 for i in ids)


def test_storage_layout_is_unchanged(strict):
    server, clock, queue = make()
    job_id = queue.enqueue("report", {"month": "2024-03", "title": "Überblick"}, max_attempts=2)
    raw = Client(server).get(f"job:{job_id}")
    record = json.loads(raw.value.decode("utf-8"))
    assert record["kind"] == "report" and record["payload"]["title"] == "Überblick"
    assert record["status"] == "queued" and record["max_attempts"] == 2
    assert Client(server).get("jobs:next_id").value == b"1"
    assert Client(server).get("stats:enqueued").value == b"1"
    assert Client(server).scan("job:") == ["job:1"]


def test_records_written_by_older_deployments_are_readable():
    clock = ManualClock(start_ms=5_000_000)
    server = MemoryServer(clock=clock)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from vendor.kvstore.v1 import KVClient

        legacy = KVClient(server)
        for job_id in (7, 10, 9):
            legacy.set(f"job:{job_id}", json.dumps({"job_id": job_id, "kind": "legacy", "payload": {"n": "é"},
                                                     "status": "queued", "attempts": 0, "max_attempts": 3,
                                                     "run_at": 0.0, "worker": None, "last_error": None,
                                                     "result": None}))
        legacy.set("jobs:next_id", "10")
        legacy.set("stats:enqueued", "3")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        queue = JobQueue(server, now=lambda: clock.now_ms / 1000)
        assert queue.pending() == [7, 9, 10]
        assert queue.claim_next("w").payload == {"n": "é"}
        assert queue.enqueue("new") == 11
        assert queue.stats()["enqueued"] == 4


def test_finished_jobs_expire_after_retention_seconds():
    server, clock, queue = make(retention=60.0)
    job_id = queue.enqueue("email")
    queue.claim_next("w")
    queue.complete(job_id)
    clock.advance(59)
    assert queue.get(job_id).status == "done"
    clock.advance(2)
    with pytest.raises(JobNotFound):
        queue.get(job_id)
    assert queue.pending() == []


def test_retries_with_backoff_then_dead_letter():
    server, clock, queue = make(backoff_base=3.0)
    job_id = queue.enqueue("flaky", max_attempts=3)
    queue.claim_next("w")
    assert queue.fail(job_id, "boom 1").run_at == clock.now_ms / 1000 + 3
    clock.advance(2.9)
    assert queue.claim_next("w") is None
    clock.advance(0.2)
    assert queue.claim_next("w").attempts == 2
    queue.fail(job_id, "boom 2")
    clock.advance(9.1)
    queue.claim_next("w")
    dead = queue.fail(job_id, "boom 3")
    assert (dead.status, dead.last_error, dead.attempts) == ("dead", "boom 3", 3)
    assert queue.stats() == {"enqueued": 1, "completed": 0, "failed": 2, "dead": 1}
    with pytest.raises(JobStateError):
        queue.complete(job_id)


def test_state_errors():
    server, clock, queue = make()
    job_id = queue.enqueue("x")
    with pytest.raises(JobStateError):
        queue.complete(job_id)
    with pytest.raises(ValueError):
        queue.enqueue("x", max_attempts=0)
