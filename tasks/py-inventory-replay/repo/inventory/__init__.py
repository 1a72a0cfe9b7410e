"""Stock ledger replay for the warehouse service."""
