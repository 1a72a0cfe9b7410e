"""The router: pick the best model for each request by the measured standings, call it,
fall over honestly.

- ``policy``: pure -- request features, standings, constraints -> ordered candidates.
- ``features``: what a request needs (the ranking's classifier, token estimate).
- ``breaker``: circuit breakers per provider and model, shared across threads.
- ``executor``: tries the candidates within one deadline (sync; its rules in ``Failover``
  are I/O-free so an async twin can share them).
- ``feedback``: bench evidence as a Beta prior, `routr feedback` outcomes as evidence.
- ``call_log``: the ``calls`` table.
"""
