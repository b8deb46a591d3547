"""The email of a rendered report: the message, the pace of sends, the send rate."""
