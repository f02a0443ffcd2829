"""Packages for no connection: one zip of articles (ninjs 3.3 + Markdown), their photos and a manifest.

``writing.write_package`` makes one; ``reading.read_package`` checks every entry of one before
anything in it is used; ``materialize.materialize`` turns a checked package into a fresh SQLite
database that the sync engine can apply like any other peer.
"""
