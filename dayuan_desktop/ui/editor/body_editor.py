"""The article body editor: a formatting toolbar over a WYSIWYG view, with a Markdown source view.

The stored body is Markdown (see :mod:`markdown_writer`); the window reads and writes it
with :meth:`BodyEditor.set_markdown` / :meth:`BodyEditor.markdown` and listens to
:attr:`BodyEditor.contentChanged` (user edits only) for autosave and preview.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence, QTextDocument
from PySide6.QtWidgets import QPlainTextEdit, QStackedWidget, QTextEdit, QToolBar, QVBoxLayout, QWidget

from dayuan_desktop.core.errors import ValidationError
from dayuan_desktop.core.text_stats import character_count
from dayuan_desktop.ui.editor import body_actions as act
from dayuan_desktop.ui.editor.body_document import ImageProvider
from dayuan_desktop.ui.editor.body_link_dialog import LinkDialog
from dayuan_desktop.ui.editor.body_text_edit import BodyTextEdit
from dayuan_desktop.ui.editor.markdown_reader import read_markdown, replace_with_markdown
from dayuan_desktop.ui.editor.markdown_writer import document_to_markdown
from dayuan_desktop.ui.editor.paste_photos import PhotoImporter

RICH, SOURCE = 0, 1


class BodyEditor(QWidget):
    """Toolbar + WYSIWYG ``QTextEdit`` + Markdown source view of one article body."""

    contentChanged = Signal()  # noqa: N815 (Qt naming) — the user changed the body
    pasteNotice = Signal(str)  # noqa: N815 — what a paste left out, for the status bar
    photosPasted = Signal(list)  # noqa: N815 — sha256 of pasted images stored as photos of the article
    pasteProgress = Signal(str)  # noqa: N815 — pasted images being stored, for the status bar ("" when done)
    sourceModeChanged = Signal(bool)  # noqa: N815 — the Markdown source view was shown (True) or left

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self._source_shown: str | None = None  # the Markdown the source view was given when shown
        self._rich = BodyTextEdit(self)
        self._rich.notice = self.pasteNotice.emit
        self._rich.pending_photos.imported.connect(self.photosPasted)
        self._rich.pending_photos.progress.connect(self.pasteProgress)
        self._source = QPlainTextEdit(self)
        self._source.setObjectName("markdownSource")
        self._source.setFont(QFont("monospace"))
        self._source.setTabChangesFocus(True)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._rich)
        self._stack.addWidget(self._source)
        self._actions: dict[str, QAction] = {}
        self._toolbar = QToolBar(self)
        self._build_actions()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._toolbar)
        layout.addWidget(self._stack)
        self._rich.document().contentsChanged.connect(self._edited)
        self._source.textChanged.connect(self._edited)
        self._rich.cursorPositionChanged.connect(self._update_states)
        self._rich.currentCharFormatChanged.connect(self._update_states)
        self._rich.undoAvailable.connect(self._update_undo)
        self._rich.redoAvailable.connect(self._update_undo)
        self._source.undoAvailable.connect(self._update_undo)
        self._source.redoAvailable.connect(self._update_undo)
        self._update_states()
        self._update_undo()

    # -- public API ----------------------------------------------------------------------------
    def set_markdown(self, text: str) -> None:
        """Show a stored body. Not a user edit: no ``contentChanged``, and undo starts afresh."""
        self._loading = True
        self._rich.pending_photos.forget_places()  # another body: photos still coming are not inserted
        try:
            self._source.setPlainText(text)
            self._source_shown = text  # both views hold this body
            try:
                read_markdown(self._rich.document(), text)
                self._rich.reset_block_format()
            except ValidationError as error:  # nesting too deep to read: edit the source instead
                self._source_shown = None  # the formatted view is empty: read the source when going back
                self._rich.clear()
                self._set_mode(SOURCE)
                self.pasteNotice.emit(self.tr("The body can only be edited as Markdown: %1").replace("%1", str(error)))
        finally:
            self._loading = False
        self._update_states()
        self._update_undo()

    def markdown(self) -> str:
        """The body as Markdown (from whichever view is shown)."""
        if self.is_source_mode():
            text = self._source.toPlainText()
            return text.rstrip("\n") + "\n" if text.strip() else ""
        return document_to_markdown(self._rich.document())

    def character_count(self) -> int:
        """字数 of the body: CJK characters one each, other words and numbers one each."""
        if not self.is_source_mode():
            return character_count(self._rich.document().toPlainText())
        scratch = QTextDocument()
        try:
            read_markdown(scratch, self._source.toPlainText())
        except ValidationError:
            return character_count(self._source.toPlainText())
        return character_count(scratch.toPlainText())

    def actions(self) -> list[QAction]:
        """The editor's actions in menu order, for the window's Format and Edit menus."""
        return list(self._actions.values())

    def action(self, name: str) -> QAction:
        """One action by name: paragraph, heading2, heading3, bold, italic, bullet_list,
        numbered_list, quote, link, undo, redo, source."""
        return self._actions[name]

    def set_image_provider(self, provider: ImageProvider | None) -> None:
        """Where photo thumbnails come from: sha256 → QImage, or None (a placeholder is shown)."""
        self._loading = True  # new pixels are not an edit
        try:
            self._rich.body_document().set_image_provider(provider)
        finally:
            self._loading = False

    def refresh_images(self) -> None:
        """Ask the image provider again (e.g. after a thumbnail was made)."""
        self._loading = True
        try:
            self._rich.body_document().refresh_images()
        finally:
            self._loading = False

    def set_photo_importer(self, importer: PhotoImporter | None) -> None:
        """How pasted images become photos (see :mod:`paste_photos`); None leaves them out."""
        self._rich.paster.importer = importer

    def is_importing_pasted(self) -> bool:
        """Are pasted images still being stored (their photos not yet in the body)?"""
        return self._rich.pending_photos.is_running()

    def text_edit(self) -> QTextEdit:
        """The WYSIWYG view (for find and replace)."""
        return self._rich

    def source_edit(self) -> QPlainTextEdit:
        """The Markdown source view."""
        return self._source

    def current_edit(self) -> QTextEdit | QPlainTextEdit:
        """Whichever view is shown."""
        return self._source if self.is_source_mode() else self._rich

    def is_source_mode(self) -> bool:
        """Is the Markdown source view shown?"""
        return self._stack.currentIndex() == SOURCE

    def set_source_mode(self, source: bool) -> None:
        """Show the Markdown source (True) or the WYSIWYG view, converting the content."""
        if source == self.is_source_mode():
            return
        self._loading = True  # the same body in another form: not an edit
        self._rich.pending_photos.forget_places()  # what is shown is what is saved: no insertion unseen
        try:
            if source:
                text = document_to_markdown(self._rich.document())
                if text != self._source.toPlainText():  # unchanged: the source view keeps its own undo
                    self._source.setPlainText(text)
                self._source_shown = text
                self._set_mode(SOURCE)
            else:
                try:
                    # Unchanged source: the formatted document (and its undo history) stays as it was;
                    # changed: it is rebuilt as one undoable step.
                    if self._source.toPlainText() != self._source_shown:
                        replace_with_markdown(self._rich.document(), self._source.toPlainText())
                        self._rich.reset_block_format()
                except ValidationError as error:
                    self.pasteNotice.emit(self.tr("The Markdown cannot be shown formatted: %1")
                                          .replace("%1", str(error)))
                    self._actions["source"].setChecked(True)
                    return
                self._set_mode(RICH)
        finally:
            self._loading = False
        self._update_states()
        self._update_undo()

    # -- actions -------------------------------------------------------------------------------
    def _build_actions(self) -> None:
        specs: list[tuple[str, str, QKeySequence | str | None, Callable[[], None], bool]] = [
            ("paragraph", self.tr("Paragraph"), "Ctrl+0", lambda: act.set_heading(self._rich, 0), True),
            ("heading2", self.tr("Subheading"), "Ctrl+2", lambda: act.set_heading(self._rich, 2), True),
            ("heading3", self.tr("Minor subheading"), "Ctrl+3", lambda: act.set_heading(self._rich, 3), True),
            ("bold", self.tr("Bold"), QKeySequence.StandardKey.Bold, lambda: act.toggle_bold(self._rich), True),
            ("italic", self.tr("Italic"), QKeySequence.StandardKey.Italic, lambda: act.toggle_italic(self._rich),
             True),
            ("bullet_list", self.tr("Bulleted list"), "Ctrl+Shift+8", lambda: act.toggle_list(self._rich, False),
             True),
            ("numbered_list", self.tr("Numbered list"), "Ctrl+Shift+7", lambda: act.toggle_list(self._rich, True),
             True),
            ("quote", self.tr("Quote"), "Ctrl+Shift+9", lambda: act.toggle_quote(self._rich), True),
            ("link", self.tr("Link…"), "Ctrl+K", self.edit_link, False),
            ("undo", self.tr("Undo"), QKeySequence.StandardKey.Undo, lambda: self.current_edit().undo(), False),
            ("redo", self.tr("Redo"), QKeySequence.StandardKey.Redo, lambda: self.current_edit().redo(), False),
            ("source", self.tr("Markdown source"), "Ctrl+Shift+M", lambda: None, False),
        ]
        for name, text, shortcut, slot, checkable in specs:
            action = QAction(text, self)
            action.setObjectName(f"body_{name}")
            if isinstance(shortcut, QKeySequence.StandardKey):
                keys = QKeySequence.keyBindings(shortcut)  # every platform binding, e.g. Ctrl+Y too
                if name == "redo" and QKeySequence("Ctrl+Shift+Z") not in keys:
                    keys.append(QKeySequence("Ctrl+Shift+Z"))
                action.setShortcuts(keys)
            elif shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            # Active while the editor (or its views) has focus; the window may add them to menus too.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setCheckable(checkable)
            if name == "source":
                action.setCheckable(True)
                action.toggled.connect(self.set_source_mode)
            else:
                action.triggered.connect(self._run(slot, formatting=name not in ("undo", "redo")))
            self.addAction(action)
            self._actions[name] = action
        tips = {
            "paragraph": self.tr("Body paragraph (Ctrl+0)"), "heading2": self.tr("Subheading (Ctrl+2)"),
            "heading3": self.tr("Minor subheading (Ctrl+3)"), "bold": self.tr("Bold (Ctrl+B)"),
            "italic": self.tr("Italic (Ctrl+I)"), "bullet_list": self.tr("Bulleted list (Ctrl+Shift+8)"),
            "numbered_list": self.tr("Numbered list (Ctrl+Shift+7)"), "quote": self.tr("Quote (Ctrl+Shift+9)"),
            "link": self.tr("Link (Ctrl+K)"), "undo": self.tr("Undo (Ctrl+Z)"),
            "redo": self.tr("Redo (Ctrl+Shift+Z)"), "source": self.tr("Show the Markdown source (Ctrl+Shift+M)"),
        }
        for name, action in self._actions.items():
            action.setToolTip(tips[name])
            self._toolbar.addAction(action)
            if name in ("heading3", "italic", "quote", "link", "redo"):
                self._toolbar.addSeparator()

    def _run(self, slot: Callable[[], None], *, formatting: bool) -> Callable[[], None]:
        def run() -> None:
            if formatting and self.is_source_mode():
                return  # formatting applies to the WYSIWYG view only
            slot()
            self._update_states()
        return run

    def edit_link(self) -> None:
        """Ask for a link's address (a window-modal dialog; bad addresses are refused there)."""
        if self.is_source_mode():
            return
        dialog = LinkDialog(self, act.current_link(self._rich))
        dialog.setObjectName("linkDialog")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._apply_link(dialog.url))
        dialog.open()

    def _apply_link(self, url: str) -> None:
        act.set_link(self._rich, url)
        self._rich.setFocus()

    # -- state ---------------------------------------------------------------------------------
    def _set_mode(self, mode: int) -> None:
        self._stack.setCurrentIndex(mode)
        source = self._actions["source"]
        source.blockSignals(True)
        source.setChecked(mode == SOURCE)
        source.blockSignals(False)
        for name, action in self._actions.items():
            if name not in ("undo", "redo", "source"):
                action.setEnabled(mode == RICH)
        self.current_edit().setFocus()
        self.sourceModeChanged.emit(mode == SOURCE)

    def _edited(self) -> None:
        if not self._loading:
            self.contentChanged.emit()

    def _update_states(self) -> None:
        level = act.heading_level(self._rich)
        states = {
            "paragraph": level == 0 and act.list_kind(self._rich) is None,
            "heading2": level == 2, "heading3": level == 3,
            "bold": act.is_bold(self._rich), "italic": self._rich.currentCharFormat().fontItalic(),
            "bullet_list": act.list_kind(self._rich) == "bullet",
            "numbered_list": act.list_kind(self._rich) == "numbered", "quote": act.is_quote(self._rich),
        }
        for name, checked in states.items():
            self._actions[name].setChecked(checked)

    def _update_undo(self, *_args) -> None:
        document = self.current_edit().document()
        self._actions["undo"].setEnabled(document.isUndoAvailable())
        self._actions["redo"].setEnabled(document.isRedoAvailable())
