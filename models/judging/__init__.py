"""Judging the claim: time to target, the verdict on one run and over many, statistics and confidence bands."""
