"""Static site export: the portal's pages, photo renditions, feeds, incremental and atomic."""

from dayuan_desktop.core.export.site_export import ExportCancelled, ExportReport, SiteExporter

__all__ = ["ExportCancelled", "ExportReport", "SiteExporter"]
