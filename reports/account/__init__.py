"""The AWS account as a live source: cost, usage and a security audit, read once per run."""
