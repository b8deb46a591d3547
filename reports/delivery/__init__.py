"""Delivery of rendered reports: the email, the pace, the send rate."""
