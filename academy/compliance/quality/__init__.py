"""Qualiopi quality records and evidence: complaints, improvement, watch, indicator map, evidence packs."""
