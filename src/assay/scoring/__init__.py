"""Scoring: classical test statistics, item response theory calibration and candidate scores."""
