"""Receivers of the contests app (none yet: verdicts bump the standings through
contests.standings.invalidate, called where a run is written)."""
