"""Evaluation: metrics (NED, detection F1, reading order) and the evaluation runner."""
