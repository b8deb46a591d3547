"""The deploy's Python side, which scripts/deploy.sh runs as `python -m scripts.deploy COMMAND`
from the repository root: settings.py (the deploy settings and the Lambda's environment),
documents.py (the IAM policies, the schedules' input, the dashboard's upload groups) and
__main__.py (the commands)."""
