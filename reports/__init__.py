"""Executive reports: turn the portfolio's knowledge base and live counts into emailed reports."""
