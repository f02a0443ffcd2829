"""Reading and writing articles in other formats (Markdown with front matter; portal pages later)."""
