"""The article editor: metadata form, body editor, find and replace."""
