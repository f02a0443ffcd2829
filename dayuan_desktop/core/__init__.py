"""Headless core of Dayuan Desktop: data, search, rendering, interchange. Never imports Qt."""
