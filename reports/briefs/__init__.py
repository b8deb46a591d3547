"""One brief builder per report: composes the analysis into exactly what its templates show."""
