"""Synthesis: a story's stored material turned into its brief (summary, key points,
timeline, coverage, conflicting claims, commitments, reactions, related stories)."""
