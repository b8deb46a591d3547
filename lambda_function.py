"""AWS Lambda entry point: validate configuration at cold start, then dispatch each event."""

from shipcaptaincrew import config, logs
from shipcaptaincrew.app import get_app
from shipcaptaincrew.dispatch import handle

logs.setup()
config.load()  # fail the cold start loudly, naming the variable, if the configuration is bad


def lambda_handler(event, context):
    """Handle an API Gateway request, a scheduled event, a queued or a direct invoke."""
    return handle(event, get_app(), context)
