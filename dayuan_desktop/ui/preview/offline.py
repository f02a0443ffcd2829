"""A web profile and page that load nothing from the network and never leave the article.

The preview shows pages made from pasted, possibly hostile content. QtWebEngine already
keeps file-origin pages away from remote URLs, but that is a setting; the interceptor
blocks every request whose scheme is not local, whatever the settings say.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineSettings,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
)

LOCAL_SCHEMES = frozenset({"file", "data", "qrc", "about"})


class OfflineInterceptor(QWebEngineUrlRequestInterceptor):
    """Blocks every request that is not for a local resource, and remembers what it blocked."""

    blocked = Signal(QUrl)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.blocked_urls: list[str] = []

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        """Called by QtWebEngine (on the UI thread in Qt 6) before any request is made."""
        url = info.requestUrl()
        if url.scheme().lower() not in LOCAL_SCHEMES:
            info.block(True)
            self.blocked_urls.append(url.toString())
            self.blocked.emit(url)


def offline_profile(parent: QObject) -> QWebEngineProfile:
    """An off-the-record profile (no disk cache, no cookies kept) with the offline interceptor.

    The interceptor is the profile's child and reachable as ``profile.interceptor``.
    """
    profile = QWebEngineProfile(parent)  # no storage name: off the record, nothing written to disk
    profile.setHttpCacheType(QWebEngineProfile.HttpCacheType.MemoryHttpCache)
    profile.setPersistentCookiesPolicy(QWebEngineProfile.PersistentCookiesPolicy.NoPersistentCookies)
    interceptor = OfflineInterceptor(profile)
    profile.setUrlRequestInterceptor(interceptor)
    profile.interceptor = interceptor  # Python reference: the profile does not own it for PySide
    return profile


class OfflinePage(QWebEnginePage):
    """A page that stays on the article: clicking a link or sending a form in the preview goes nowhere."""

    def __init__(self, profile: QWebEngineProfile, parent: QObject | None = None) -> None:
        super().__init__(profile, parent)
        settings = self.settings()
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessRemoteUrls, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.LocalContentCanAccessFileUrls, True)
        # Article bodies are sanitised and the portal templates have no script; a preview of
        # pasted content has no reason to run any (the pane's own scripts run in another world).
        settings.setAttribute(QWebEngineSettings.WebAttribute.JavascriptEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.DnsPrefetchEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.PluginsEnabled, False)
        settings.setAttribute(QWebEngineSettings.WebAttribute.AutoLoadIconsForPage, False)

    def acceptNavigationRequest(
        self, url: QUrl | str, navigation_type: QWebEnginePage.NavigationType, is_main_frame: bool
    ) -> bool:
        """Only the pane itself navigates (setHtml/load); links, forms and history moves are ignored."""
        if navigation_type in _USER_NAVIGATION:
            return False
        return super().acceptNavigationRequest(url, navigation_type, is_main_frame)


# What a reader of the page can start; the pane's own setHtml/load arrive as other types.
_USER_NAVIGATION = frozenset({
    QWebEnginePage.NavigationType.NavigationTypeLinkClicked,
    QWebEnginePage.NavigationType.NavigationTypeFormSubmitted,
    QWebEnginePage.NavigationType.NavigationTypeBackForward,
})
