"""Report runs: one trigger's attempt to deliver a set of reports, exactly once each."""
