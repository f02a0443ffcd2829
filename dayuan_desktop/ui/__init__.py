"""The Qt layer (PySide6). It talks to ``dayuan_desktop.core`` only; it never writes SQL."""
