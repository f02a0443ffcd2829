"""The feed's own escaping and dates (core.export.feeds) write exactly what the standard library's
``xml.sax.saxutils.escape`` and ``email.utils.format_datetime`` wrote before: a feed reader sees
the same titles and dates, and an export of an unchanged site rewrites no feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime as email_format_datetime
from xml.sax.saxutils import escape as sax_escape

from hypothesis import given
from hypothesis import strategies as st

from dayuan_desktop.core.export.feeds import _xml_escape, escape, format_datetime, rss_xml
from dayuan_desktop.core.render import ListItem
from dayuan_desktop.core.site import SiteSettings

MARKUP = st.lists(st.sampled_from([*'&<>"\'a中 ;#x', "&amp;", "&lt;", "]]>"]), max_size=20).map("".join)


@given(MARKUP)
def test_escaping_is_the_standard_librarys(text):
    assert _xml_escape(text) == sax_escape(text)
    assert _xml_escape(text, {'"': "&quot;"}) == sax_escape(text, {'"': "&quot;"})


@given(st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 30)),
       st.sampled_from([None, UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]))
def test_dates_are_the_standard_librarys(moment, zone):
    moment = moment.replace(tzinfo=zone)
    assert format_datetime(moment) == email_format_datetime(moment)


def test_a_feed_item_reads_as_before():
    when = datetime(2022, 12, 13, 6, 46, 28, tzinfo=UTC)
    item = ListItem(title="党旗 <飘扬> & “长城”", path="gsyl/lzgs/4709.html", published_at=when,
                    summary="a < b && c > d", channel_path="gsyl/lzgs", image="uploads/2022/12/a&b-1200.jpg")
    feed = rss_xml(SiteSettings(), [item]).decode("utf-8")
    assert "<title>党旗 &lt;飘扬&gt; &amp; “长城”</title>" in feed
    assert "<pubDate>Tue, 13 Dec 2022 06:46:28 +0000</pubDate>" in feed
    assert escape("a\x00b<") == "ab&lt;"
