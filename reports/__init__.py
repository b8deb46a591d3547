"""Executive reports: turn the portfolio's knowledge base and live counts into emailed reports.

The host registers `reports.plugin.extension` (see lambda_function.py); importing this package
alone imports nothing of the host, so `python -m reports preview` starts without boto3.
"""
