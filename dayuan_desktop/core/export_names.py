"""The names of the export's own files, in one module that imports nothing.

The export (``core.export``), the no-op check (``core.quick_export``) and the publisher
(``core.publishing.scan``) all need them; importing ``core.export`` loads the renderer, which
the other two must not pay for.
"""

MANIFEST_NAME = ".dayuan-export.json"
# 2: each entry one string, "<input key> <content sha256>" (1: an object of the two, which
# took twice as long to read and write: a 10,000-article site has ~21,000 entries).
MANIFEST_FORMAT = 2
TEMP_MARK = ".dayuan-tmp-"  # a file on its way into the output folder
RECORD_KEY = "nothing_changed"  # the manifest's record of the last complete export (core.quick_export)
