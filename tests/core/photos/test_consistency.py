"""``db check`` compares each body with its attached photos: real mismatches fail, normal states pass."""

from __future__ import annotations

from dayuan_desktop.core.photos.attaching import photo_line
from dayuan_desktop.core.photos.consistency import photo_inconsistencies
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.store import Store
from tests.helpers import run_cli as run


def _photo(store: Store, n: int, caption: str = ""):
    return store.photos.add_photo(bytes([n]) * 40, format="JPEG", width=1200, height=800, caption=caption)


def _sample(store: Store):
    load_sample(store)
    return store.find_article("4709")


def test_a_consistent_database_says_ok(capsys, store: Store, database_url):
    article = _sample(store)
    assert article.photos and all(f"photo:{link.photo.sha256}" in article.body for link in article.photos)
    assert photo_inconsistencies(store.db) == []
    code, out, _ = run(capsys, "--db", database_url, "db", "check")
    assert code == 0 and "database OK" in out


def test_a_body_line_without_its_attached_photo_is_reported_with_number_and_photo(capsys, store: Store,
                                                                                   database_url):
    article = _sample(store)
    shown = article.photos[0].photo.sha256
    store.photos.set_article_photos(article.id, [])  # what a lost photo-add race used to leave
    code, out, _ = run(capsys, "--db", database_url, "db", "check")
    assert code == 1
    assert f"problem: #4709: the body shows photo {shown[:12]} that is not attached" in out
    assert "1 problem(s) found" in out


def test_a_body_line_of_a_photo_missing_from_the_library_is_reported(store: Store):
    article = _sample(store)
    ghost = "ab" * 32
    store.update_article(article.id, {"body": article.body + "\n\n" + photo_line(ghost, "不存在的照片")},
                         expected_version=article.version)
    assert photo_inconsistencies(store.db) == [
        f"#4709: the body shows photo {ghost[:12]} that is not in the photo library "
        "(the page prints its caption without the image)"
    ]


def test_a_published_articles_attached_photo_the_body_does_not_show_is_reported(capsys, store: Store,
                                                                                 database_url):
    article = _sample(store)
    extra = _photo(store, 1, "卡口夜查")
    # What a photo add killed between its two commits used to leave.
    store.photos.set_article_photos(article.id, [link.photo.sha256 for link in article.photos] + [extra.sha256],
                             lead=article.photos[0].photo.sha256)
    code, out, _ = run(capsys, "--db", database_url, "db", "check")
    assert code == 1
    assert f"problem: #4709: photo {extra.sha256[:12]} (卡口夜查) is attached but the body does not show it" in out


def test_legitimate_states_are_not_reported(store: Store):
    article = _sample(store)
    # The lead photo may serve only as the lists' picture: taken out of the body, it stays attached.
    lead = article.photos[0].photo.sha256
    body = "\n".join(line for line in article.body.splitlines() if f"photo:{lead}" not in line)
    store.update_article(article.id, {"body": body}, expected_version=article.version)
    # A draft holds photos dropped on the panel that the editor has not placed yet.
    draft = store.create_article(title="草稿", body="正文。", status="draft")
    waiting = _photo(store, 2, "待放入正文")
    store.photos.set_article_photos(draft.id, [waiting.sha256])
    store.photos.set_article_photos(store.create_article(title="另一篇", body="正文。", status="draft").id,
                             [waiting.sha256, _photo(store, 3).sha256])
    assert photo_inconsistencies(store.db) == []


def test_a_trashed_articles_mismatch_is_reported_as_in_the_trash(store: Store):
    photo = _photo(store, 4, "垃圾箱里的照片")
    article = store.create_article(title="已删除", body=photo_line(photo.sha256, photo.caption), status="draft")
    store.trash_article(article.id)
    [problem] = photo_inconsistencies(store.db)
    assert problem.startswith(f"article {article.uuid} (in the trash): the body shows photo {photo.sha256[:12]}")


def test_a_database_that_cannot_be_read_is_one_problem_line_not_a_crash(tmp_path):
    import sqlite3

    from dayuan_desktop.core.db import open_database

    path = tmp_path / "newsroom.sqlite3"
    database = open_database(str(path), backup_dir=tmp_path / "backups")
    load_sample(Store(database))
    database.dispose()
    with sqlite3.connect(path) as conn:  # a table lost by hand or by a broken tool
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("DROP TABLE article_photos")
    database = open_database(str(path), backup_dir=tmp_path / "backups", upgrade=False)
    try:
        problems = photo_inconsistencies(database)
    finally:
        database.dispose()
    assert len(problems) == 1 and problems[0].startswith("bodies and photos not compared: the database could not")
