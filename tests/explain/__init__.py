"""Tests de lib.explain (méthodes de transparence) et de lib.viz.explain."""
