"""The photo and caption panel: the open article's photos, their captions, the photo library."""
