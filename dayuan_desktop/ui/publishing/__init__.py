"""The window's part of publishing: saved targets, the publish dialog, the host-key question.

The work itself is :func:`dayuan_desktop.core.publishing.site_publish.publish_site`, run in a
:class:`~dayuan_desktop.ui.jobs.BackgroundJob`; nothing here talks to a server on the UI thread.
"""
