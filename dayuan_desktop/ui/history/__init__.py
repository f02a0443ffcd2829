"""Revision history in the window: the list of revisions, the character-level comparison, restore."""
