"""Reading and writing articles in other formats (Markdown with front matter, portal pages)."""

# The file names a portal page has (here, not in the page reader: choosing an import's workers
# needs them before anything heavy is imported).
PAGE_SUFFIXES = (".html", ".htm")
