"""Preferences: the portal's site texts (shared, in the database) and this workstation's settings.

Site settings are saved with :func:`core.site.save_site_settings` for everyone on the
database; the export folder, database and language go to :class:`AppSettings`. Every
field is checked as it is edited, with the message beside it; OK saves nothing until
all of them are valid, and a failed save keeps the dialog open with what was typed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.core.db_probe import ProbeResult, probe_database, server_url_problem
from dayuan_desktop.core.errors import DayuanError
from dayuan_desktop.core.secrets import split_password
from dayuan_desktop.core.site import (
    RENDITION_MAX,
    RENDITION_MIN,
    SiteSettings,
    SiteSettingsDatabase,
    base_url_problem,
    load_site_settings,
    rendition_size_problem,
    save_site_settings,
)
from dayuan_desktop.ui.app_settings import AppSettings, SettingsNotSaved
from dayuan_desktop.ui.database_password import (
    password_can_be_kept,
    restrict_to_owner,
    save_database_target,
    with_kept_password,
)
from dayuan_desktop.ui.jobs import BackgroundJob, run_job
from dayuan_desktop.ui.publishing.targets_page import TargetsPage  # its own module: this one is full
from dayuan_desktop.ui.sync_preferences import SyncTargetTab

SITE_NAME_MAX = 200
_ERROR_STYLE = "color: #b00020;"


class PreferencesDialog(QDialog):
    """Site settings, export folder, database, language and rendition size.

    After ``accept()`` the new site settings are stored (``site_settings_saved`` carries
    them, e.g. for the preview) and ``restart_required`` says whether the database or
    language changed, which take effect on the next start.
    """

    site_settings_saved = Signal(object)  # SiteSettings

    def __init__(
        self,
        app_settings: AppSettings,
        database: SiteSettingsDatabase,
        parent: QWidget | None = None,
        *,
        site_settings: SiteSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self._settings = app_settings
        self._database = database
        self._site = site_settings if site_settings is not None else load_site_settings(database)
        self._errors: dict[str, QLabel] = {}
        self._probe_job: BackgroundJob | None = None
        self.restart_required = False

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._site_tab(), self.tr("Site"))
        self.tabs.addTab(self._export_tab(), self.tr("Export"))
        self.tabs.addTab(self._database_tab(), self.tr("Database"))
        self.sync_tab = SyncTargetTab(app_settings, self)
        self.tabs.addTab(self.sync_tab, self.tr("Sync"))
        self.tabs.addTab(self._language_tab(), self.tr("Language"))
        self.targets_page = TargetsPage(app_settings)
        self.tabs.addTab(self.targets_page, self.tr("Publishing"))
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(_ERROR_STYLE)
        self.message_label.setVisible(False)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message_label)
        layout.addWidget(self.buttons)
        self.resize(640, 560)

    # -- tabs ------------------------------------------------------------------------------
    def _site_tab(self) -> QWidget:
        site = self._site
        page, form = self._form_page()
        form.addRow(QLabel(self.tr("These texts appear on every exported page and are shared by "
                                   "everyone using this database."), wordWrap=True))
        self.site_name_edit = self._line(site.site_name)
        self._add_checked_row(form, self.tr("Site name:"), self.site_name_edit, "site_name")
        self.base_url_edit = self._line(site.base_url)
        self.base_url_edit.setPlaceholderText("http://www.example.com")
        self._add_checked_row(form, self.tr("Base URL:"), self.base_url_edit, "base_url")
        self.about_title_edit = self._line(site.about_title)
        form.addRow(self.tr("About title:"), self.about_title_edit)
        self.about_text_edit = self._text(site.about_text)
        form.addRow(self.tr("About text:"), self.about_text_edit)
        self.copyright_title_edit = self._line(site.copyright_title)
        form.addRow(self.tr("Copyright title:"), self.copyright_title_edit)
        self.copyright_lines_edit = self._text("\n".join(site.copyright_lines))
        self.copyright_lines_edit.setToolTip(self.tr("One line per paragraph under each article"))
        form.addRow(self.tr("Copyright lines:"), self.copyright_lines_edit)
        self.address_label_edit = self._line(site.address_label)
        form.addRow(self.tr("Page address label:"), self.address_label_edit)
        self.footer_name_edit = self._line(site.footer_name)
        form.addRow(self.tr("Footer name:"), self.footer_name_edit)
        self.footer_copyright_edit = self._line(site.footer_copyright)
        form.addRow(self.tr("Footer copyright:"), self.footer_copyright_edit)
        self.footer_notice_zh_edit = self._text(site.footer_notice_zh)
        form.addRow(self.tr("Footer notice (Chinese):"), self.footer_notice_zh_edit)
        self.footer_notice_en_edit = self._text("\n".join(site.footer_notice_en))
        form.addRow(self.tr("Footer notice (English):"), self.footer_notice_en_edit)
        scroll = QScrollArea(self)  # a dozen fields: taller than a laptop screen allows
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        self._site_scroll = scroll
        return scroll

    def _export_tab(self) -> QWidget:
        page, form = self._form_page()
        folder = self._settings.export_folder
        self.export_folder_edit = self._line(str(folder) if folder else "")
        self.export_folder_edit.setPlaceholderText(self.tr("Asked for at the first export"))
        choose = QPushButton(self.tr("Choose…"), page)
        choose.clicked.connect(self._choose_export_folder)
        self._add_checked_row(form, self.tr("Export folder:"), self.export_folder_edit, "export_folder", choose)
        self.rendition_size_edit = self._line(str(self._site.rendition_width))
        self._add_checked_row(form, self.tr("Photo size (long side, px):"), self.rendition_size_edit,
                              "rendition_size")
        form.addRow(QLabel(self.tr("Photos on the exported pages are scaled down to this size ({low}–{high} px). "
                                   "Shared by everyone using this database.").format(low=RENDITION_MIN,
                                                                                      high=RENDITION_MAX),
                           wordWrap=True))
        return page

    def _database_tab(self) -> QWidget:
        page, form = self._form_page()
        target = self._settings.database
        server = "://" in target
        self.sqlite_radio = QRadioButton(self.tr("A database file on this computer (SQLite)"), page)
        self.server_radio = QRadioButton(self.tr("The newsroom's PostgreSQL server"), page)
        group = QButtonGroup(page)
        group.addButton(self.sqlite_radio)
        group.addButton(self.server_radio)
        (self.server_radio if server else self.sqlite_radio).setChecked(True)
        form.addRow(self.sqlite_radio)
        self.sqlite_path_edit = self._line("" if server else target)
        self.sqlite_path_edit.setPlaceholderText(self.tr("The default file in your data folder"))
        choose = QPushButton(self.tr("Choose…"), page)
        choose.clicked.connect(self._choose_sqlite_file)
        self._add_checked_row(form, self.tr("File:"), self.sqlite_path_edit, "sqlite_path", choose)
        form.addRow(self.server_radio)
        self.server_url_edit = self._line(target if server else "")
        self.server_url_edit.setPlaceholderText("postgresql://editor:password@server/dayuan")
        self.test_connection_button = QPushButton(self.tr("Test Connection"), page)
        self.test_connection_button.clicked.connect(self.test_connection)
        self._add_checked_row(form, self.tr("URL:"), self.server_url_edit, "server_url", self.test_connection_button)
        self._keyring_here: bool | None = None
        self.password_note = QLabel(self.tr("This computer has no keyring: the password will not be saved, "
                                            "and Dayuan Desktop will ask for it at each start."), page)
        self.password_note.setWordWrap(True)
        self.password_note.setStyleSheet(_ERROR_STYLE)
        form.addRow("", self.password_note)
        self.server_url_edit.textChanged.connect(self._update_password_note)
        self._update_password_note()
        self.connection_label = QLabel(page)
        self.connection_label.setWordWrap(True)
        self.connection_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("", self.connection_label)
        form.addRow(QLabel(self.tr("A change of database takes effect when Dayuan Desktop is restarted."),
                           wordWrap=True))
        for radio in (self.sqlite_radio, self.server_radio):
            radio.toggled.connect(self._update_database_fields)
        self._update_database_fields()
        return page

    def _language_tab(self) -> QWidget:
        page, form = self._form_page()
        self.language_combo = QComboBox(page)
        # Language names are written in their own language, so anyone can find theirs.
        for label, code in ((self.tr("Automatic (the system's language)"), "auto"),
                            ("简体中文", "zh_CN"), ("English", "en")):
            self.language_combo.addItem(label, code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(self._settings.language)))
        form.addRow(self.tr("Language:"), self.language_combo)
        form.addRow(QLabel(self.tr("A change of language takes effect when Dayuan Desktop is restarted."),
                           wordWrap=True))
        return page

    # -- building blocks ---------------------------------------------------------------------
    def _form_page(self) -> tuple[QWidget, QFormLayout]:
        page = QWidget(self)
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        return page, form

    def _line(self, value: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setText(value)
        return edit

    def _text(self, value: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(self)
        edit.setPlainText(value)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(72)
        return edit

    def _add_checked_row(
        self, form: QFormLayout, label: str, edit: QLineEdit, name: str, button: QPushButton | None = None
    ) -> None:
        """A field with its error message right under it, checked on every edit."""
        box = QWidget(self)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        if button is not None:
            row.addWidget(button)
        column.addLayout(row)
        error = QLabel(box)
        error.setObjectName(f"{name}_error")
        error.setStyleSheet(_ERROR_STYLE)
        error.setWordWrap(True)
        error.setVisible(False)
        column.addWidget(error)
        self._errors[name] = error
        form.addRow(label, box)
        edit.textChanged.connect(lambda _text, name=name: self._check_field(name))

    # -- validation --------------------------------------------------------------------------
    def error_text(self, name: str) -> str:
        """The message shown beside a field ("" when it is valid); names as in ``validate()``."""
        label = self._errors[name]
        return label.text() if not label.isHidden() else ""

    def validate(self) -> dict[str, str]:
        """Check every field, show each message beside its field; returns field name → message."""
        problems = {}
        for name in self._errors:
            message = self._check_field(name)
            if message:
                problems[name] = message
        return problems

    def _check_field(self, name: str) -> str:
        message = self._field_message(name)
        label = self._errors[name]
        label.setText(message)
        label.setVisible(bool(message))
        return message

    def _field_message(self, name: str) -> str:
        if name == "site_name":
            value = self.site_name_edit.text().strip()
            if not value:
                return self.tr("The site name cannot be empty.")
            if len(value) > SITE_NAME_MAX:
                return self.tr("The site name is too long (at most %n characters).", "", SITE_NAME_MAX)
            return ""
        if name == "base_url":
            if base_url_problem(self.base_url_edit.text()):
                return self.tr("Enter the site's address starting with http:// or https://, "
                               "e.g. http://www.shanxidayuan.com (no spaces, no ? or #).")
            return ""
        if name == "rendition_size":
            if rendition_size_problem(self.rendition_size_edit.text()):
                return self.tr("Enter a whole number from {low} to {high}.").format(
                    low=RENDITION_MIN, high=RENDITION_MAX)
            return ""
        if name == "export_folder":
            folder = self.export_folder_edit.text().strip()
            if folder and Path(folder).expanduser().exists() and not Path(folder).expanduser().is_dir():
                return self.tr("This is a file, not a folder.")
            return ""
        if name == "sqlite_path":
            path = self.sqlite_path_edit.text().strip()
            if self.sqlite_radio.isChecked() and path and Path(path).expanduser().is_dir():
                return self.tr("This is a folder; enter the database file's name.")
            return ""
        if name == "server_url":
            if self.server_radio.isChecked() and server_url_problem(self.server_url_edit.text()):
                return self.tr("Enter a PostgreSQL URL with a server and a database name, "
                               "e.g. postgresql://editor:password@server/dayuan.")
            return ""
        raise KeyError(name)

    # -- values ------------------------------------------------------------------------------
    def site_settings(self) -> SiteSettings:
        """The site settings as filled in (only meaningful once ``validate()`` found nothing)."""
        return replace(
            self._site,
            site_name=self.site_name_edit.text().strip(),
            base_url=self.base_url_edit.text().strip(),
            about_title=self.about_title_edit.text(),
            about_text=self.about_text_edit.toPlainText().strip(),
            copyright_title=self.copyright_title_edit.text(),
            copyright_lines=_lines(self.copyright_lines_edit.toPlainText()),
            address_label=self.address_label_edit.text(),
            footer_name=self.footer_name_edit.text(),
            footer_copyright=self.footer_copyright_edit.text(),
            footer_notice_zh=self.footer_notice_zh_edit.toPlainText().strip(),
            footer_notice_en=_lines(self.footer_notice_en_edit.toPlainText()),
            rendition_width=int(self.rendition_size_edit.text().strip()),
        )

    def database_target(self) -> str:
        """The database to use from the next start: a file path, a server URL, or "" for the default file."""
        if self.server_radio.isChecked():
            return self.server_url_edit.text().strip()
        return self.sqlite_path_edit.text().strip()

    def language(self) -> str:
        """``auto``, ``zh_CN`` or ``en``."""
        return self.language_combo.currentData()

    # -- saving ------------------------------------------------------------------------------
    def accept(self) -> None:
        """Save everything when every field is valid; otherwise show why and stay open."""
        problems = self.validate()
        if problems:
            self._show_message(self.tr("Please correct the marked fields."))
            self._focus_first_problem(problems)
            return
        site = self.site_settings()
        if site != self._site:
            try:
                save_site_settings(self._database, site)
            except (DayuanError, OSError) as exc:
                self._show_message(self.tr("The site settings could not be saved: {reason}").format(
                    reason=_one_line(exc)))
                return
            self._site = site
            self.site_settings_saved.emit(site)
        restart = (split_password(self.database_target())[0] != self._settings.database
                   or self.language() != self._settings.language)
        folder = self.export_folder_edit.text().strip()
        self._settings.export_folder = Path(folder).expanduser() if folder else None
        save_database_target(self._settings, self.database_target())  # its password to the keyring
        self.sync_tab.save(self._settings)  # the newsroom's URL likewise
        self._settings.language = self.language()
        try:
            self._settings.save()
            restrict_to_owner(Path(self._settings.file_name()))
        except SettingsNotSaved as exc:
            self._show_message(self.tr("Your settings could not be saved: {reason}").format(reason=str(exc)))
            return
        self.restart_required = restart
        super().accept()

    def _show_message(self, message: str) -> None:
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))

    def _focus_first_problem(self, problems: dict[str, str]) -> None:
        edits = {
            "site_name": (0, self.site_name_edit), "base_url": (0, self.base_url_edit),
            "export_folder": (1, self.export_folder_edit), "rendition_size": (1, self.rendition_size_edit),
            "sqlite_path": (2, self.sqlite_path_edit), "server_url": (2, self.server_url_edit),
        }
        for name in edits:
            if name in problems:
                tab, edit = edits[name]
                self.tabs.setCurrentIndex(tab)
                edit.setFocus()
                if tab == 0:
                    self._site_scroll.ensureWidgetVisible(edit)
                return

    # -- database ----------------------------------------------------------------------------
    def test_connection(self) -> None:
        """Try the PostgreSQL URL off the UI thread; the result appears under the field."""
        if self._probe_job is not None:
            return
        if self._check_field("server_url"):
            self._set_connection_text(self.tr("Correct the URL first."), ok=False)
            return
        url = with_kept_password(self._settings, self.server_url_edit.text().strip())
        self.test_connection_button.setEnabled(False)
        self._set_connection_text(self.tr("Connecting…"), ok=True)
        self._probe_job = run_job(lambda _context: probe_database(url), name="test connection",
                                  on_success=self._on_connected, on_failure=self._on_connection_failed)

    def _on_connected(self, result: ProbeResult) -> None:
        self._probe_job = None
        self.test_connection_button.setEnabled(True)
        schema = {
            "empty": self.tr("The database is empty; Dayuan Desktop will set it up on the next start."),
            "current": self.tr("It holds a Dayuan Desktop database of this version."),
            "upgrade": self.tr("Its database will be upgraded on the next start (after a backup)."),
        }[result.schema]
        self._set_connection_text(
            self.tr("Connected to PostgreSQL {version}.").format(version=result.server_version) + " " + schema,
            ok=True,
        )

    def _on_connection_failed(self, exc: BaseException) -> None:
        self._probe_job = None
        self.test_connection_button.setEnabled(True)
        self._set_connection_text(self.tr("Connection failed: {reason}").format(reason=_one_line(exc)), ok=False)

    def _set_connection_text(self, text: str, *, ok: bool) -> None:
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet("" if ok else _ERROR_STYLE)
        self.connection_label.setProperty("ok", ok)

    def _update_password_note(self) -> None:
        typed_password = bool(split_password(self.server_url_edit.text().strip())[1])
        if typed_password and self._keyring_here is None:  # asked once: keyring loads its backends
            self._keyring_here = password_can_be_kept()
        self.password_note.setVisible(typed_password and not self._keyring_here)

    def _update_database_fields(self) -> None:
        server = self.server_radio.isChecked()
        self.sqlite_path_edit.setEnabled(not server)
        self.server_url_edit.setEnabled(server)
        self.test_connection_button.setEnabled(server and self._probe_job is None)
        for name in ("sqlite_path", "server_url"):
            if name in self._errors:
                self._check_field(name)

    def _choose_export_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Export Folder"), self.export_folder_edit.text())
        if chosen:
            self.export_folder_edit.setText(chosen)

    def _choose_sqlite_file(self) -> None:
        chosen, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Database File"), self.sqlite_path_edit.text(),
            self.tr("SQLite databases (*.sqlite3 *.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.sqlite_path_edit.setText(chosen)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.strip().splitlines() if line.strip())


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
