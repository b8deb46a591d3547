"""Public AWS list prices the cost model uses, in one place, with the date they were read.

US West (Oregon) / US East (N. Virginia) on-demand list prices, which are the same for these
items; no free tier applied (the Lambda and DynamoDB free tiers would cover a report run
entirely). Check https://aws.amazon.com/<service>/pricing/ before relying on them.
"""

PRICES_AS_OF = "2025-01-31"
PRICES = {
    # AWS Lambda, x86: per GB-second of duration, and per request
    "lambda_gb_second": 0.0000166667,
    "lambda_request": 0.20 / 1_000_000,
    # Amazon SES outbound: per email, each recipient (To, Cc, Bcc) counts as one
    "ses_email": 0.10 / 1_000,
    # DynamoDB on-demand (after the November 2024 reduction): per read / write request unit
    "dynamodb_read_unit": 0.125 / 1_000_000,
    "dynamodb_write_unit": 0.625 / 1_000_000,
    # S3 Standard: storage per GB-month, and per PUT request
    "s3_gb_month": 0.023,
    "s3_put": 0.005 / 1_000,
    # Secrets Manager: per secret per month (the JWT signing key)
    "secret_month": 0.40,
    # EventBridge Scheduler: per invocation after 14 million free a month
    "scheduler_invocation": 1.00 / 1_000_000,
}
SOURCES = {
    "lambda": "https://aws.amazon.com/lambda/pricing/",
    "ses": "https://aws.amazon.com/ses/pricing/",
    "dynamodb": "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    "s3": "https://aws.amazon.com/s3/pricing/",
    "secrets_manager": "https://aws.amazon.com/secrets-manager/pricing/",
    "scheduler": "https://aws.amazon.com/eventbridge/pricing/",
}
# The business's AWS bill today (SPEC section 1), for scale.
CURRENT_BILL_PER_MONTH = (50, 84)
