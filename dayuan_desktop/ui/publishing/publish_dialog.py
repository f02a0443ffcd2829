"""File → 发布到网站服务器: choose a target, publish in the background, see what was done.

Progress shows files and bytes and the stage (photos → pages → lists → feeds → deletions);
Cancel stops after the files in flight (the next run goes on from there). The host key of a
new SSH server is asked here, on the UI thread, between two runs (see
:mod:`~dayuan_desktop.ui.publishing.publish_work`); a changed key is refused without a choice.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dayuan_desktop.core.secrets import mask_secrets
from dayuan_desktop.ui.app_settings import AppSettings
from dayuan_desktop.ui.jobs import BackgroundJob, run_job
from dayuan_desktop.ui.publishing.publish_work import (
    LiveProgress,
    PasswordNeeded,
    RunOutcome,
    RunRequest,
    run_publish,
)
from dayuan_desktop.ui.publishing.saved_targets import SavedTarget, load_targets
from dayuan_desktop.ui.publishing.target_dialog import TargetDialog

_ERROR_STYLE = "color: #b00020"


class PublishDialog(QDialog):
    """The publish dialog. ``job`` is the running BackgroundJob (None between runs)."""

    def __init__(self, settings: AppSettings, data_dir: Path, cache_dir: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._settings, self._data_dir, self._cache_dir = settings, Path(data_dir), cache_dir
        self._typed: dict[str, str] = {}  # address → password typed in this session (memory only)
        self._accepted_key: str | None = None
        self._live = LiveProgress()
        self.job: BackgroundJob | None = None
        self._close_when_stopped = False
        self.outcome: RunOutcome | None = None
        self.setWindowTitle(self.tr("Publish to the web server"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        layout.addLayout(self._choice_rows())
        layout.addWidget(self._host_key_panel())
        layout.addWidget(self._password_panel())
        layout.addWidget(self._progress_panel())
        layout.addWidget(self._summary_panel(), 1)
        layout.addLayout(self._button_row())
        self._fill_targets()

    # -- building -------------------------------------------------------------------------------
    def _choice_rows(self) -> QFormLayout:
        form = QFormLayout()
        self.target_box = QComboBox()
        self.target_box.setMinimumContentsLength(40)
        add = QPushButton(self.tr("Add…"))
        add.clicked.connect(self.add_target)
        row = QHBoxLayout()
        row.addWidget(self.target_box, 1)
        row.addWidget(add)
        form.addRow(self.tr("Target:"), row)
        folder = self._settings.export_folder
        self.site_label = QLabel(str(folder) if folder else self.tr("(no export folder chosen yet)"))
        self.site_label.setWordWrap(True)
        form.addRow(self.tr("Site folder:"), self.site_label)
        self.dry_run = QCheckBox(self.tr("Dry run: show what would change, change nothing"))
        self.verify = QCheckBox(self.tr("Verify: compare with the files really on the server"))
        self.max_deletes = QSpinBox()
        self.max_deletes.setRange(0, 10_000_000)
        self.max_deletes.setValue(256)
        form.addRow(self.dry_run)
        form.addRow(self.verify)
        form.addRow(self.tr("Delete at most:"), self.max_deletes)
        return form

    def _host_key_panel(self) -> QFrame:
        self.host_key_frame = QFrame()
        self.host_key_frame.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(self.host_key_frame)
        self.host_key_text = QLabel()
        self.host_key_text.setWordWrap(True)
        self.host_key_text.setTextInteractionFlags(self.host_key_text.textInteractionFlags()
                                                   | self.host_key_text.textInteractionFlags().TextSelectableByMouse)
        box.addWidget(self.host_key_text)
        row = QHBoxLayout()
        self.accept_key_button = QPushButton(self.tr("Accept and publish"))
        self.refuse_key_button = QPushButton(self.tr("Refuse"))
        self.accept_key_button.clicked.connect(self.accept_host_key)
        self.refuse_key_button.clicked.connect(self.refuse_host_key)
        row.addStretch(1)
        row.addWidget(self.refuse_key_button)
        row.addWidget(self.accept_key_button)
        box.addLayout(row)
        self.host_key_frame.hide()
        return self.host_key_frame

    def _password_panel(self) -> QFrame:
        self.password_frame = QFrame()
        form = QFormLayout(self.password_frame)
        self.password_note = QLabel()
        self.password_note.setWordWrap(True)
        form.addRow(self.password_note)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.returnPressed.connect(lambda: self.publish())
        form.addRow(self.tr("Password:"), self.password_edit)
        self.password_frame.hide()
        return self.password_frame

    def _progress_panel(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 0, 0, 0)
        self.stage_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.bytes_label = QLabel()
        for widget in (self.stage_label, self.progress, self.bytes_label):
            box.addWidget(widget)
        return panel

    def _summary_panel(self) -> QWidget:
        panel = QWidget()
        box = QVBoxLayout(panel)
        box.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.refused = QPlainTextEdit()
        self.refused.setReadOnly(True)
        self.refused.setMaximumHeight(120)
        self.refused.hide()
        self.raise_limit_button = QPushButton()
        self.raise_limit_button.clicked.connect(self.raise_limit_and_publish)
        self.raise_limit_button.hide()
        box.addWidget(self.summary)
        box.addWidget(self.refused)
        box.addWidget(self.raise_limit_button)
        box.addStretch(1)
        return panel

    def _button_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.publish_button = QPushButton(self.tr("Publish"))
        self.publish_button.setDefault(True)
        self.publish_button.clicked.connect(lambda: self.publish())
        self.cancel_button = QPushButton(self.tr("Cancel publishing"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.clicked.connect(self.reject)
        row.addStretch(1)
        for button in (self.cancel_button, self.close_button, self.publish_button):
            row.addWidget(button)
        return row

    def _fill_targets(self, select: str | None = None) -> None:
        self.target_box.clear()
        for saved in load_targets(self._settings):
            self.target_box.addItem(saved.address, saved)
        if select is not None:
            self.target_box.setCurrentIndex(self.target_box.findText(select))
        self.publish_button.setEnabled(self.target_box.count() > 0)

    # -- actions --------------------------------------------------------------------------------
    def add_target(self) -> None:
        """Ask for a new target and select it."""
        dialog = TargetDialog(self._settings, self)
        if dialog.exec() and dialog.saved is not None:
            self.target_added(dialog.saved, dialog.password)

    def target_added(self, saved: SavedTarget, password: str) -> None:
        """A target was saved: select it; its password (if any) serves the next run, memory only."""
        if password:
            self._typed[saved.address] = password
        self._fill_targets(select=saved.address)

    def publish(self, *, max_deletes: int | None = None) -> None:
        """Start a run with the chosen target and options (nothing happens while one runs)."""
        saved = self.target_box.currentData()
        if self.job is not None or saved is None:
            return
        site = self._settings.export_folder
        if site is None:
            self._show_error(self.tr("No export folder yet: export the site first (File → Export site…)."))
            return
        if self.password_frame.isVisible() and self.password_edit.text():
            self._typed[saved.address] = self.password_edit.text()
        request = RunRequest(
            site=Path(site), saved=saved, data_dir=self._data_dir, cache_dir=self._cache_dir,
            dry_run=self.dry_run.isChecked(), verify=self.verify.isChecked(),
            max_deletes=self.max_deletes.value() if max_deletes is None else max_deletes,
            accept_host_key=self._accepted_key, password=self._typed.get(saved.address, ""))
        self._start(request)

    def _start(self, request: RunRequest) -> None:
        self._reset_panels()
        self._live = live = LiveProgress()
        self.stage_label.setText(self.tr("Connecting and reading the site folder…"))
        self.progress.setRange(0, 0)  # busy until the first file is done
        self._set_running(True)
        self.job = run_job(lambda context: run_publish(request, live, context.cancel, context.progress),
                           name="publish", parent=self, on_success=self._finished, on_failure=self._failed,
                           on_progress=self._progressed, on_cancelled=self._cancelled)

    def cancel(self) -> None:
        """Stop the run after the files in flight."""
        if self.job is not None:
            self.job.cancel()
            self.stage_label.setText(self.tr("Stopping after the files being sent…"))

    def accept_host_key(self) -> None:
        """The person checked the fingerprint shown: run again with exactly that key accepted."""
        self._accepted_key = self.host_key_frame.property("fingerprint")
        self.host_key_frame.hide()
        self.publish()

    def refuse_host_key(self) -> None:
        """Nothing is sent to a server whose key was not accepted."""
        self.host_key_frame.hide()
        self._show_error(self.tr("The server's key was refused: nothing was published."))

    def raise_limit_and_publish(self) -> None:
        """Run again allowing the deletions the limit held back (this run only)."""
        held = self.outcome.report.deletes_held if self.outcome else 0
        self.publish(max_deletes=max(held, self.max_deletes.value()))

    # -- results (UI thread) -------------------------------------------------------------------
    def _progressed(self, done: int, total: int, _path: str) -> None:
        latest, stage = self._live.latest, self._live.stage
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.stage_label.setText(self._stage_text(stage))
        if latest is not None:
            self.bytes_label.setText(self.tr("%1 of %2 files · %3 of %4 MB").replace("%1", str(done))
                                     .replace("%2", str(total)).replace("%3", f"{latest.bytes_done / 1e6:.1f}")
                                     .replace("%4", f"{latest.bytes_total / 1e6:.1f}"))

    def _stage_text(self, stage: int) -> str:
        names = [self.tr("Photos and static files"), self.tr("Article pages"),
                 self.tr("Channel lists and home page"), self.tr("Feeds and sitemap"), self.tr("Deletions")]
        return self.tr("Stage %1 of 5: %2").replace("%1", str(stage + 1)).replace("%2", names[stage])

    def _finished(self, outcome: RunOutcome) -> None:
        self._set_running(False)
        self.outcome = outcome
        report = outcome.report
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.stage_label.setText(self.tr("Dry run: nothing was changed.") if report.dry_run
                                 else self.tr("Cancelled: the next run goes on from here.") if report.cancelled
                                 else self.tr("Done."))
        self.summary.setText(self._summary_text(outcome))
        self.summary.setStyleSheet(_ERROR_STYLE if report.failed or report.deletes_held else "")
        if report.failed:
            self.refused.setPlainText("\n".join(f"{path}: {mask_secrets(reason)}" for path, reason in report.failed))
            self.refused.show()
        if report.deletes_held:
            self.raise_limit_button.setText(self.tr("Allow %1 deletions and publish again (this run only)")
                                            .replace("%1", str(report.deletes_held)))
            self.raise_limit_button.show()

    def _summary_text(self, outcome: RunOutcome) -> str:
        plan, report = outcome.plan, outcome.report
        if report.dry_run:
            lines = [self.tr("Would upload %1 files (%2 MB) and delete %3; %4 unchanged.")
                     .replace("%1", str(len(plan.uploads))).replace("%2", f"{plan.upload_bytes / 1e6:.1f}")
                     .replace("%3", str(len(plan.deletes))).replace("%4", str(plan.unchanged))]
        else:
            lines = [self.tr("%1 uploaded, %2 unchanged, %3 deleted.").replace("%1", str(len(report.uploaded)))
                     .replace("%2", str(report.unchanged)).replace("%3", str(len(report.deleted)))]
        if report.repaired:
            lines.append(self.tr("%1 files were missing or different on the server and are sent again.")
                         .replace("%1", str(len(report.repaired))))
        if report.failed:
            lines.append(self.tr("%1 files were refused by the server (listed below); they are sent again next "
                                 "time, and later stages were not started.").replace("%1", str(len(report.failed))))
        if report.deletes_held:
            lines.append(self.tr("%1 files are gone from the site, more than the limit of %2: nothing was deleted.")
                         .replace("%1", str(report.deletes_held)).replace("%2", str(self.max_deletes.value())))
        if outcome.password_kept is False:
            lines.append(self.tr("This computer has no keyring: the password was not saved and will be asked "
                                 "for next time."))
        return "\n".join(lines)

    def _failed(self, error: BaseException) -> None:
        self._set_running(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.stage_label.clear()
        # Only an SSH run can raise these, and it loaded the module (paramiko): never import it here.
        hostkeys = sys.modules.get("dayuan_desktop.core.publishing.hostkeys")
        if hostkeys is not None and isinstance(error, hostkeys.HostKeyUnknown):
            self._ask_host_key(error.fingerprint)
        elif hostkeys is not None and isinstance(error, hostkeys.HostKeyChanged):
            self._show_error(self.tr("The server's key has CHANGED: refused, this may be an attack.")
                             + "\n" + mask_secrets(error))
        elif isinstance(error, PasswordNeeded):
            self._ask_password(error.keyring)
        else:
            self._show_error(mask_secrets(error))

    def _cancelled(self) -> None:
        self._set_running(False)
        self.stage_label.setText(self.tr("Cancelled: the next run goes on from here."))

    def _ask_host_key(self, fingerprint: str) -> None:
        saved = self.target_box.currentData()
        host = saved.target.host if saved else ""
        self.host_key_frame.setProperty("fingerprint", fingerprint)
        self.host_key_text.setText(self.tr(
            "First connection to %1. Its SSH key fingerprint is:\n\n%2\n\nCheck it with the server's "
            "administrator. Accept only if it is the same.").replace("%1", host).replace("%2", fingerprint))
        self.host_key_frame.show()
        self.accept_key_button.setFocus()

    def _ask_password(self, keyring: bool) -> None:
        self.password_note.setText(
            self.tr("Type the server's password. It will be kept in the system keyring.") if keyring else
            self.tr("This computer has no keyring (such as Secret Service or Windows Credential Locker): the "
                    "password cannot be saved and is asked for at each publish."))
        self.password_frame.show()
        self.password_edit.setFocus()

    def _show_error(self, text: str) -> None:
        self.summary.setText(text)
        self.summary.setStyleSheet(_ERROR_STYLE)

    def _reset_panels(self) -> None:
        self.summary.clear()
        self.refused.hide()
        self.raise_limit_button.hide()
        self.host_key_frame.hide()
        self.password_frame.hide()
        self.bytes_label.clear()

    def _set_running(self, running: bool) -> None:
        if not running:
            self.job = None
            if self._close_when_stopped:
                super().reject()
        self.cancel_button.setEnabled(running)
        self.publish_button.setEnabled(not running and self.target_box.count() > 0)
        self.close_button.setEnabled(not running)

    def reject(self) -> None:
        """Closing while a run goes on cancels it first (the dialog closes once it stopped)."""
        if self.job is not None:
            self._close_when_stopped = True
            self.cancel()
            return
        super().reject()
