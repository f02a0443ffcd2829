"""Dayuan Desktop: the editorial workstation of the 大院网 / 山西大院资讯网 portal."""

__version__ = "0.1.0"
