"""Pure analysis of the portfolio model: one module per figure family, no I/O, no clock."""
