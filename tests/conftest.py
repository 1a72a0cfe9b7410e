"""Suite-wide set-up.

A shell starts background jobs with SIGINT ignored, and a child inherits that: a test
suite launched that way (``make test &``, some CI runners) would send Ctrl-C to benches
that cannot hear it, and the Ctrl-C tests would fail for a reason that is not Routr's.
Restoring Python's own handler here means every process the tests start sees SIGINT at
its default again (a handler, unlike "ignored", is reset by exec).
"""

from __future__ import annotations

import signal

if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)
