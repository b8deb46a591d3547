"""Report runs: one trigger's attempt to send a set of reports, exactly once each."""
