"""Publishing the exported site to the portal's web server (SFTP, FTP, FTPS or a folder).

The flow, each step its own module: :mod:`targets` reads the target's address;
:mod:`scan` hashes the site folder; :mod:`record` keeps what the target is known to hold;
:mod:`plan` decides what goes up and in which order (photos and static files, article pages,
lists and home, feeds, then deletions); :mod:`runner` sends the batches through a transport
(:mod:`folder`, :mod:`sftp`, :mod:`ftp`), several connections at once, with progress and cancel.
"""
