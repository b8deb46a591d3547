"""AWS Lambda entry point and composition root: the host app and the extensions it runs.

This is the one place an extension is named; the host's modules never import one. Configuration
(the host's and every extension's settings) is validated at cold start.
"""

from reports.plugin import extension as reports_extension
from shipcaptaincrew import config, logs
from shipcaptaincrew.app import compose, get_app
from shipcaptaincrew.dispatch import handle

EXTENSIONS = compose([reports_extension])

logs.setup()
config.load(sections=tuple(e.settings for e in EXTENSIONS if e.settings))  # fail loudly, naming the variable


def lambda_handler(event, context):
    """Handle an API Gateway request, a scheduled event, a queued or a direct invoke."""
    return handle(event, get_app(), context)
