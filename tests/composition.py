"""The route table the tests walk: the host's and the reports extension's, composed as the
composition root (lambda_function.py) composes them, without its cold-start check."""

from reports.plugin import extension as reports_extension
from shipcaptaincrew.app import route_table

ROUTES = route_table([reports_extension])
