"""Sync between two databases (a laptop's SQLite file and the newsroom's server, or two files).

Articles are matched by uuid and photos by sha256. Each side keeps, per peer and article, the
content last exchanged (``sync_bases``): changed on one side only, the change is copied across;
changed on both, a three-way merge by paragraph and field; where the same paragraph or field
changed differently, the newsroom's version stays and the other becomes a conflict copy.
Entry point: :func:`dayuan_desktop.core.sync.engine.sync_stores`.
"""
