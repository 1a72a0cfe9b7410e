"""The bench runner: (task x model x epoch) work items, keyed for resume and sharding,
run by a thread pool whose results one writer records (see ``runner`` and ``session``)."""
