"""``routr serve``: an OpenAI-compatible gateway over the router (policy, executor, breaker).

Modules: ``wire`` (OpenAI's request, response, chunk and error shapes), ``guard`` (bearer
keys hashed at rest, per-key rate limits and daily budgets), ``metrics`` (Prometheus text),
``log_writer`` (calls queued off the request path, sent to ``log_process``, which owns the
log file and writes them in batches),
``app`` (the raw ASGI app and the gateway state). Import-light: the CLI imports ``app``
only when the command runs.
"""
