"""Charters ("events"): validation of what clients send, and the DynamoDB store."""
