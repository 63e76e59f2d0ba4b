"""Assessments: roles, job-description analysis and the assessments built from them."""
