import threading
import time
from collections import Counter


from scheduler import JobState, ManualClock, Scheduler, WorkerPool


class SlowClock(ManualClock):
    """A manual clock whose reads take a little while (like a clock behind a syscall
    or an RPC). Correct code must not care how long reading the time takes."""

    def now(self):
        time.sleep(0.0002)
        return super().now()


class Tally:
    def __init__(self):
        self.counts = Counter()
        self.lock = threading.Lock()

    def job(self, key):
        def run():
            with self.lock:
                self.counts[key] += 1
        return run


def wait_for(predicate, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.002)
    return predicate()


def test_due_jobs_run_in_time_order():
    clock = ManualClock(100.0)
    sched = Scheduler(clock)
    order = []
    sched.schedule(lambda: order.append("b"), at=105, name="b")
    sched.schedule(lambda: order.append("a"), at=103, name="a")
    sched.schedule(lambda: order.append("c"), at=110, name="c")
    assert sched.run_pending() == 0
    clock.advance(6)
    assert sched.run_pending() == 2
    assert order == ["a", "b"]
    clock.advance(10)
    assert sched.run_pending() == 1
    assert sched.history == [("a", 103), ("b", 105), ("c", 110)]
    assert sched.pending_count() == 0


def test_repeating_job_and_errors():
    clock = ManualClock(0.0)
    sched = Scheduler(clock)
    calls = []

    def flaky():
        calls.append(clock.now())
        if len(calls) == 2:
            raise RuntimeError("smtp down")

    job_id = sched.schedule(flaky, at=10, interval=5, name="digest")
    for _ in range(4):
        clock.advance(5)
        sched.run_pending()
    assert calls == [10, 15, 20]
    job = sched.get(job_id)
    assert job.runs == 3 and len(job.errors) == 1 and job.state is JobState.SCHEDULED
    assert [due for _, due in sched.history] == [10, 15, 20]


def test_cancel_before_run():
    clock = ManualClock(0.0)
    sched = Scheduler(clock)
    tally = Tally()
    job_id = sched.schedule(tally.job("x"), at=1, interval=1)
    assert sched.cancel(job_id) is True
    assert sched.cancel(job_id) is False
    clock.advance(10)
    assert sched.run_pending() == 0
    assert tally.counts["x"] == 0


def test_each_occurrence_runs_once_with_concurrent_callers():
    clock = SlowClock(0.0)
    sched = Scheduler(clock)
    tally = Tally()
    for i in range(150):
        sched.schedule(tally.job(i), at=float(i % 7), name=f"j{i}")
    clock.advance(10)
    start = threading.Barrier(6)
    ran = Counter()

    def caller(n):
        start.wait()
        ran[n] = sched.run_pending()

    threads = [threading.Thread(target=caller, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    duplicated = {k: v for k, v in tally.counts.items() if v != 1}
    assert duplicated == {}
    assert len(tally.counts) == 150
    assert sum(ran.values()) == 150
    assert len(sched.history) == 150


def test_repeating_jobs_once_per_interval_under_worker_pool():
    clock = SlowClock(0.0)
    sched = Scheduler(clock)
    tally = Tally()
    for i in range(20):
        sched.schedule(tally.job(i), at=1.0, interval=1.0)
    pool = WorkerPool(sched, workers=4)
    pool.start()
    try:
        for step in range(1, 6):
            clock.set(float(step))
            assert wait_for(lambda: all(tally.counts[i] >= step for i in range(20)))
            time.sleep(0.02)
    finally:
        pool.stop()
    assert all(tally.counts[i] == 5 for i in range(20)), tally.counts


def test_job_cancelling_itself_does_not_run_again():
    clock = ManualClock(0.0)
    sched = Scheduler(clock)
    calls = []
    ids = {}

    def once_then_stop():
        calls.append(clock.now())
        sched.cancel(ids["me"])

    ids["me"] = sched.schedule(once_then_stop, at=1, interval=1, name="self-cancel")
    for _ in range(5):
        clock.advance(1)
        sched.run_pending()
    assert calls == [1]
    assert sched.pending_count() == 0


def test_cancel_while_running_stops_future_runs():
    clock = ManualClock(0.0)
    sched = Scheduler(clock)
    entered, release = threading.Event(), threading.Event()
    calls = []

    def slow():
        calls.append(clock.now())
        entered.set()
        release.wait(5)

    job_id = sched.schedule(slow, at=1, interval=1)
    clock.advance(1)
    worker = threading.Thread(target=sched.run_pending)
    worker.start()
    assert entered.wait(5)
    assert sched.cancel(job_id) is True
    release.set()
    worker.join(5)
    for _ in range(3):
        clock.advance(1)
        sched.run_pending()
    assert calls == [1]


def test_jobs_run_in_parallel_and_may_schedule_jobs():
    clock = ManualClock(0.0)
    sched = Scheduler(clock)
    meet = threading.Barrier(2, timeout=5)
    followups = Tally()

    def leg(name):
        def run():
            meet.wait()  # both legs must be running at the same time
            sched.schedule(followups.job(name), at=0.5, name=f"{name}-followup")
        return run

    sched.schedule(leg("left"), at=0.5)
    sched.schedule(leg("right"), at=0.5)
    clock.advance(1)
    pool = WorkerPool(sched, workers=2)
    pool.start()
    try:
        assert wait_for(lambda: followups.counts["left"] == 1 and followups.counts["right"] == 1)
    finally:
        pool.stop()
    assert not meet.broken
    assert all(not (sched.get(i) and sched.get(i).errors) for i in range(1, 5))


def test_running_repeating_job_never_overlaps_itself():
    clock = ManualClock(0.0)
    sched = Scheduler(clock)
    active = []
    overlaps = []
    gate = threading.Event()

    def work():
        active.append(1)
        if len(active) > 1:
            overlaps.append(clock.now())
        gate.wait(5)
        active.pop()

    sched.schedule(work, at=1, interval=1)
    clock.advance(1)
    first = threading.Thread(target=sched.run_pending)
    first.start()
    assert wait_for(lambda: len(active) == 1)
    clock.advance(1)
    assert sched.run_pending() == 0
    gate.set()
    first.join(5)
    assert overlaps == []
