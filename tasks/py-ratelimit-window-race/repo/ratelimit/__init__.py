"""In-process rate limiters (token bucket and sliding window)."""

from ratelimit.clock import Clock, ManualClock, MonotonicClock
from ratelimit.sliding_window import SlidingWindowLimiter
from ratelimit.stats import LimiterStats
from ratelimit.token_bucket import TokenBucket

__all__ = [
    "Clock",
    "LimiterStats",
    "ManualClock",
    "MonotonicClock",
    "SlidingWindowLimiter",
    "TokenBucket",
]
