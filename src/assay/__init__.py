"""Assay: technical hiring assessments with work samples graded in a sandbox."""

__version__ = "0.1.0"
