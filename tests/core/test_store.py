"""The store on both backends: what an editor sees when creating, listing, saving and deleting."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta, timezone

import pytest

from dayuan_desktop.core.errors import (
    ConflictError,
    DuplicateError,
    NotFoundError,
    ValidationError,
)
from dayuan_desktop.core.models import RevisionKind
from dayuan_desktop.core.store import ArticleQuery, Store
from dayuan_desktop.core.validation import MAX_BODY_CHARS

BEIJING = timezone(timedelta(hours=8))


def at(day: int, hour: int = 8) -> datetime:
    return datetime(2024, 5, day, hour, 0, tzinfo=UTC)


def ids(items) -> list[int]:
    return [item.id for item in items]


# -- create / get / update ---------------------------------------------------------------------
def test_create_then_get_returns_every_field(store: Store):
    store.create_channel("gsyl/lzgs", "旅游攻略")
    created = store.create_article(
        title="  大同古城墙夜景  ",
        subtitle="灯光秀开幕",
        author="网络编辑",
        source="大同",
        published_at=datetime(2024, 5, 1, 20, 30, tzinfo=BEIJING),
        summary="古城墙点亮。",
        status="published",
        body="第一段。\n\n第二段。",
        number=4709,
        channel_path="gsyl/lzgs",
        tags=["旅游", "大同", "旅游"],
        comment_count=3,
        like_count=12,
    )
    loaded = store.get_article(created.id)
    assert loaded == created
    assert loaded.title == "大同古城墙夜景"  # surrounding blanks trimmed
    assert loaded.tags == ("旅游", "大同")  # order kept, duplicate dropped
    assert loaded.channel_path == "gsyl/lzgs"
    assert loaded.number == 4709
    assert loaded.published_at == datetime(2024, 5, 1, 12, 30, tzinfo=UTC)  # same instant, read back in UTC
    assert loaded.version == 1
    assert loaded.updated_by == "tester"
    assert store.get_article(created.uuid) == loaded
    assert store.find_article("#4709").id == created.id
    assert store.find_article(created.uuid).id == created.id


def test_get_articles_loads_the_same_records_as_get_article(store: Store):
    """The export loads articles in bulk with Core queries; they must equal the ORM-built records."""
    from tests.helpers import jpeg_bytes

    store.create_channel("gsyl/lzgs", "旅游攻略")
    photos = [store.photos.add_photo(jpeg_bytes(40 + i, 30, (i * 60, 90, 90)), format="JPEG", width=40 + i, height=30,
                              caption=f"说明{i}", photographer="马向英") for i in range(3)]
    first = store.create_article(title="甲", status="published", number=1, channel_path="gsyl/lzgs",
                                 tags=["旅游", "大同"], published_at=at(1), body="正文")
    second = store.create_article(title="乙", tags=["大同"], body="正文")  # no channel, number or photos
    third = store.create_article(title="丙", status="published", number=3, channel_path="gsyl/lzgs", body="正文")
    store.photos.set_article_photos(first.id, [photos[2].sha256, photos[0].sha256], lead=photos[0].sha256)
    store.photos.set_article_photos(third.id, [photos[1].sha256])
    wanted = [third.id, first.id, 999_999, second.id]
    assert store.get_articles(wanted) == [store.get_article(i) for i in (third.id, first.id, second.id)]
    assert [link.photo.sha256 for link in store.get_articles([first.id])[0].photos] == [photos[2].sha256,
                                                                                       photos[0].sha256]


def test_get_unknown_article_is_not_found(store: Store):
    with pytest.raises(NotFoundError):
        store.get_article(12345)
    with pytest.raises(NotFoundError, match="4709"):
        store.find_article("4709")


def test_update_changes_fields_and_bumps_version(store: Store):
    article = store.create_article(title="初稿", body="旧正文", tags=["甲"])
    saved = store.update_article(article.id, {"body": "新正文", "tags": ["乙", "丙"]}, expected_version=1)
    assert saved.version == 2
    loaded = store.get_article(article.id)
    assert (loaded.title, loaded.body, loaded.tags) == ("初稿", "新正文", ("乙", "丙"))
    assert loaded.updated_at >= article.updated_at
    again = store.update_article(article.id, {"tags": []}, expected_version=2)
    assert again.tags == () and store.get_article(article.id).tags == ()


def test_other_user_name_is_recorded(store: Store):
    article = store.create_article(title="谁改的")
    other = Store(store.db, user_name="王编辑")
    other.update_article(article.id, {"title": "王编辑改过"}, expected_version=1)
    loaded = store.get_article(article.id)
    assert loaded.updated_by == "王编辑"
    assert store.list_revisions(article.id)[0].created_by == "王编辑"


# -- lists -------------------------------------------------------------------------------------
@pytest.fixture
def newsroom(store: Store) -> dict[str, int]:
    """Six articles across channels, statuses, tags and publish dates."""
    store.create_channel("gsyl", "公司要闻")
    store.create_channel("gsyl/lzgs", "廉政公署")
    store.create_channel("gsylx", "相似前缀频道")
    store.create_channel("xwzx", "新闻中心")
    made = {}
    for key, channel, status, tags, published in [
        ("a", "gsyl", "published", ["防控"], at(1)),
        ("b", "gsyl/lzgs", "published", ["防控", "廉政"], at(3)),
        ("c", "gsyl/lzgs", "draft", ["廉政"], None),
        ("d", "gsylx", "review", [], at(2)),
        ("e", "xwzx", "ready", ["防控"], at(5)),
        ("f", None, "draft", [], at(4)),
    ]:
        made[key] = store.create_article(
            title=f"文章{key}", channel_path=channel, status=status, tags=tags, published_at=published
        ).id
    return made


def keys_of(page, made) -> list[str]:
    by_id = {v: k for k, v in made.items()}
    return [by_id[item.id] for item in page.items]


def test_list_defaults_to_recently_updated_first(store: Store, newsroom):
    page = store.list_articles()
    assert page.total == 6
    assert keys_of(page, newsroom) == ["f", "e", "d", "c", "b", "a"]
    store.update_article(newsroom["b"], {"summary": "刚改过"}, expected_version=1)
    assert keys_of(store.list_articles(), newsroom)[0] == "b"  # an edit moves it to the top
    oldest_first = store.list_articles(ArticleQuery(descending=False))
    assert keys_of(oldest_first, newsroom) == ["a", "c", "d", "e", "f", "b"]


def test_list_pages_cover_everything_once(store: Store, newsroom):
    seen = []
    for offset in (0, 4):
        page = store.list_articles(ArticleQuery(offset=offset, limit=4))
        assert page.total == 6 and page.offset == offset and page.limit == 4
        seen += keys_of(page, newsroom)
    assert seen == ["f", "e", "d", "c", "b", "a"]
    assert store.list_articles(ArticleQuery(offset=6, limit=4)).items == ()
    with pytest.raises(ValidationError):
        store.list_articles(ArticleQuery(limit=100_000))


def test_list_by_published_time_puts_undated_last(store: Store, newsroom):
    newest = store.list_articles(ArticleQuery(sort="published"))
    assert keys_of(newest, newsroom) == ["e", "f", "b", "d", "a", "c"]
    oldest = store.list_articles(ArticleQuery(sort="published", descending=False))
    assert keys_of(oldest, newsroom) == ["a", "d", "b", "f", "e", "c"]


def test_list_filter_by_channel_includes_subchannels(store: Store, newsroom):
    with_sub = store.list_articles(ArticleQuery(channel_path="gsyl"))
    assert sorted(keys_of(with_sub, newsroom)) == ["a", "b", "c"]  # not gsylx: only a name prefix
    assert with_sub.total == 3
    only_parent = store.list_articles(ArticleQuery(channel_path="gsyl", include_subchannels=False))
    assert keys_of(only_parent, newsroom) == ["a"]
    leaf = store.list_articles(ArticleQuery(channel_path="gsyl/lzgs"))
    assert sorted(keys_of(leaf, newsroom)) == ["b", "c"]
    with pytest.raises(NotFoundError, match="gsyl/lzgs"):
        store.list_articles(ArticleQuery(channel_path="nosuch"))


def test_list_filter_by_status_and_tag(store: Store, newsroom):
    drafts = store.list_articles(ArticleQuery(status="draft"))
    assert sorted(keys_of(drafts, newsroom)) == ["c", "f"] and drafts.total == 2
    tagged = store.list_articles(ArticleQuery(tag="防控"))
    assert sorted(keys_of(tagged, newsroom)) == ["a", "b", "e"] and tagged.total == 3
    both = store.list_articles(ArticleQuery(tag="廉政", status="published"))
    assert keys_of(both, newsroom) == ["b"]
    assert store.list_articles(ArticleQuery(tag="没有这个标签")).total == 0
    with pytest.raises(ValidationError, match="status"):
        store.list_articles(ArticleQuery(status="bogus"))


def test_list_filter_by_date_range(store: Store, newsroom):
    window = ArticleQuery(sort="published", date_from=at(2), date_to=at(4))  # from inclusive, to exclusive
    page = store.list_articles(window)
    assert keys_of(page, newsroom) == ["b", "d"] and page.total == 2
    # the same instant written in Beijing time selects the same articles
    beijing = ArticleQuery(
        sort="published", date_from=at(2).astimezone(BEIJING), date_to=at(4).astimezone(BEIJING)
    )
    assert keys_of(store.list_articles(beijing), newsroom) == ["b", "d"]
    # on the updated sort, the range applies to the last-saved time
    everything = ArticleQuery(date_from=datetime.now(UTC) - timedelta(hours=1))
    assert store.list_articles(everything).total == 6
    assert store.list_articles(ArticleQuery(date_to=datetime(2000, 1, 1, tzinfo=UTC))).total == 0


# -- trash, restore, purge ---------------------------------------------------------------------
def test_trash_hides_and_restore_brings_back(store: Store):
    keep = store.create_article(title="留下的稿件")
    gone = store.create_article(title="删除的稿件 大同")
    trashed = store.trash_article(gone.id)
    assert trashed.deleted_at is not None
    assert ids(store.list_articles().items) == [keep.id]
    assert ids(store.list_articles(ArticleQuery(trashed=True)).items) == [gone.id]
    assert store.search("大同") == []
    assert store.get_article(gone.id).title == "删除的稿件 大同"  # still readable from the trash
    restored = store.restore_article(gone.id)
    assert restored.deleted_at is None
    assert sorted(ids(store.list_articles().items)) == sorted([keep.id, gone.id])
    assert ids(store.search("大同")) == [gone.id]
    assert store.list_articles(ArticleQuery(trashed=True)).total == 0
    # both moves are in the article's history
    assert [r.kind for r in store.list_revisions(gone.id)][:2] == ["restore", "trash"]


def test_negative_offset_is_refused_clearly(store: Store):
    with pytest.raises(ValidationError):
        store.search("大同", offset=-1)
    with pytest.raises(ValidationError):
        store.list_articles(ArticleQuery(offset=-1))


def test_purge_refuses_an_article_not_in_the_trash(store: Store):
    article = store.create_article(title="还在用的稿件")
    with pytest.raises(ValidationError, match="trash"):
        store.purge_article(article.id)
    assert store.get_article(article.id).title == "还在用的稿件"
    assert len(store.list_revisions(article.id)) == 1


def test_purge_deletes_a_trashed_article_for_good(store: Store):
    photo = store.photos.add_photo(b"jpeg-bytes", format="JPEG", width=4, height=3, caption="图为城墙。")
    article = store.create_article(title="要彻底删除", tags=["临时"])
    store.photos.set_article_photos(article.id, [photo.sha256])
    store.update_article(article.id, {"body": "再改一次"}, expected_version=1)
    store.trash_article(article.id)
    store.purge_article(article.id)
    with pytest.raises(NotFoundError):
        store.get_article(article.id)
    with pytest.raises(NotFoundError):
        store.list_revisions(article.id)
    assert store.count_articles() == 0
    assert store.search("彻底") == [] and store.search("城墙") == []
    assert store.photos.photo_bytes(photo.sha256) == b"jpeg-bytes"  # the photo stays in the library
    assert store.db.integrity_problems() == []


# -- revisions ---------------------------------------------------------------------------------
def test_every_save_writes_a_revision_and_one_can_be_restored(store: Store):
    article = store.create_article(title="第一版", body="正文一", tags=["甲"])
    store.update_article(article.id, {"title": "第二版", "body": "正文二"}, expected_version=1)
    store.update_article(article.id, {"title": "第三版", "tags": ["乙"]}, expected_version=2, kind=RevisionKind.AUTOSAVE)
    revisions = store.list_revisions(article.id)
    assert [r.kind for r in revisions] == ["autosave", "save", "create"]  # newest first
    assert [r.article_version for r in revisions] == [3, 2, 1]
    assert [r.snapshot["title"] for r in revisions] == ["第三版", "第二版", "第一版"]
    assert all(r.created_by == "tester" for r in revisions)

    first = revisions[-1]
    restored = store.restore_revision(first.id, expected_version=3)
    assert (restored.title, restored.body, restored.tags, restored.version) == ("第一版", "正文一", ("甲",), 4)
    assert store.get_article(article.id).title == "第一版"
    after = store.list_revisions(article.id)
    assert len(after) == 4 and after[0].kind == "restore"
    assert after[1].snapshot["title"] == "第三版"  # the version replaced by the restore is still there
    assert ids(store.search("第一版")) == [article.id] and store.search("第三版") == []


def test_restore_unknown_revision_is_not_found(store: Store):
    with pytest.raises(NotFoundError):
        store.restore_revision(999_999, expected_version=1)


# -- optimistic locking ------------------------------------------------------------------------
def test_saving_over_a_newer_version_keeps_both_edits(store: Store):
    article = store.create_article(title="两人同时编辑", body="原文")
    alice = Store(store.db, user_name="alice")
    bob = Store(store.db, user_name="bob")
    alice_saved = alice.update_article(article.id, {"body": "alice 的修改"}, expected_version=1)

    with pytest.raises(ConflictError) as caught:
        bob.update_article(article.id, {"body": "bob 的修改", "title": "bob 的标题"}, expected_version=1)
    error = caught.value
    message = str(error)
    assert "alice" in message
    assert alice_saved.updated_at.strftime("%Y-%m-%d %H:%M:%S") in message
    assert error.saved_by == "alice" and error.current_version == 2 and error.expected_version == 1

    # alice's save is what the article shows ...
    current = store.get_article(article.id)
    assert (current.body, current.title, current.version) == ("alice 的修改", "两人同时编辑", 2)
    # ... and bob's edit is kept as a conflict revision, restorable
    revisions = store.list_revisions(article.id)
    kept = next(r for r in revisions if r.id == error.kept_revision_id)
    assert kept.kind == "conflict" and kept.created_by == "bob"
    assert kept.snapshot["body"] == "bob 的修改" and kept.snapshot["title"] == "bob 的标题"
    merged = bob.restore_revision(kept.id, expected_version=2)
    assert (merged.body, merged.title, merged.version) == ("bob 的修改", "bob 的标题", 3)
    assert any(r.snapshot["body"] == "alice 的修改" for r in store.list_revisions(article.id))


def test_stale_restore_is_a_conflict_too(store: Store):
    article = store.create_article(title="甲")
    first = store.list_revisions(article.id)[0]
    store.update_article(article.id, {"title": "乙"}, expected_version=1)
    with pytest.raises(ConflictError, match="tester"):
        store.restore_revision(first.id, expected_version=1)
    assert store.get_article(article.id).title == "乙"


# -- bad input ---------------------------------------------------------------------------------
def test_duplicate_number_names_the_article_holding_it(store: Store):
    holder = store.create_article(title="先来的文章", number=4709)
    with pytest.raises(DuplicateError) as caught:
        store.create_article(title="后来的文章", number=4709)
    assert "4709" in str(caught.value) and "先来的文章" in str(caught.value) and holder.uuid in str(caught.value)
    assert store.count_articles() == 1

    other = store.create_article(title="另一篇", number=4710)
    with pytest.raises(DuplicateError, match="先来的文章"):
        store.update_article(other.id, {"number": 4709, "title": "改号失败"}, expected_version=1)
    unchanged = store.get_article(other.id)
    assert (unchanged.number, unchanged.title, unchanged.version) == (4710, "另一篇", 1)


def test_unknown_channel_lists_the_existing_ones(store: Store):
    store.create_channel("gsyl/lzgs", "廉政公署")
    store.create_channel("xwzx", "新闻中心")
    with pytest.raises(NotFoundError) as caught:
        store.create_article(title="无处安放", channel_path="tyxw")
    message = str(caught.value)
    assert "tyxw" in message and "gsyl" in message and "gsyl/lzgs" in message and "xwzx" in message
    assert store.count_articles() == 0
    assert [c.path for c in store.list_channels()] == ["gsyl", "gsyl/lzgs", "xwzx"]


def test_invalid_channel_path_is_refused(store: Store):
    with pytest.raises(ValidationError, match="channel path"):
        store.create_channel("Bad Path/")
    assert store.list_channels() == []


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("title", 123, "title"),
        ("tags", "防控,大同", "tags"),
        ("tags", ["好", 5], "tag"),
        ("number", "4709", "number"),
        ("number", 0, "number"),
        ("status", "bogus", "status"),
        ("published_at", datetime(2024, 5, 1, 8, 0), "time zone"),
        ("published_at", "2024-05-01", "published_at"),
        ("comment_count", -1, "comment_count"),
        ("like_count", True, "like_count"),
        ("colour", "red", "unknown"),
    ],
)
def test_wrong_types_are_refused_and_change_nothing(store: Store, field, value, words):
    article = store.create_article(title="原标题", body="原正文", tags=["原"], number=1)
    before = store.get_article(article.id)
    with pytest.raises(ValidationError, match=words):
        store.update_article(article.id, {field: value, "body": "不该保存"}, expected_version=1)
    with pytest.raises(ValidationError, match=words):
        store.create_article(**{"title": "不该创建", field: value})
    assert store.get_article(article.id) == before
    assert store.count_articles() == 1
    assert len(store.list_revisions(article.id)) == 1
    assert store.search("不该") == []


def test_body_over_the_limit_is_refused(store: Store):
    article = store.create_article(title="长文", body="短")
    with pytest.raises(ValidationError, match="limit"):
        store.update_article(article.id, {"body": "字" * (MAX_BODY_CHARS + 1)}, expected_version=1)
    with pytest.raises(ValidationError, match="limit"):
        store.create_article(title="十兆正文", body="字" * (10 * 1024 * 1024))
    assert store.get_article(article.id).body == "短"
    assert store.count_articles() == 1


def test_body_at_the_limit_is_kept_whole(store: Store):
    body = ("大同古城墙" * (MAX_BODY_CHARS // 5 + 1))[: MAX_BODY_CHARS - 2] + "尾巴"
    article = store.create_article(title="最长的文章", body=body)
    assert store.get_article(article.id).body == body
    assert ids(store.search("尾巴")) == [article.id]


def test_nul_character_is_refused(store: Store):
    with pytest.raises(ValidationError, match="NUL"):
        store.create_article(title="坏\x00字符")
    assert store.count_articles() == 0


def test_batch_create_is_all_or_nothing(store: Store):
    store.create_channel("xwzx")
    batch = [
        {"title": "批量一 大同", "channel_path": "xwzx", "number": 100},
        {"title": "批量二 大同", "tags": ["新标签"]},
        {"title": "批量三 大同", "channel_path": "nosuch"},
    ]
    with pytest.raises(NotFoundError, match="nosuch"):
        store.create_articles(batch)
    assert store.count_articles() == 0
    assert store.search("大同") == [] and store.search("批量") == []
    assert store.list_articles(ArticleQuery(tag="新标签")).total == 0

    duplicate_inside = [{"title": "一", "number": 7}, {"title": "二", "number": 7}]
    with pytest.raises(DuplicateError, match="7"):
        store.create_articles(duplicate_inside)
    assert store.count_articles() == 0

    batch[2]["channel_path"] = "xwzx"
    made = store.create_articles(batch)
    assert [a.title for a in made] == ["批量一 大同", "批量二 大同", "批量三 大同"]
    assert store.count_articles() == 3
    assert sorted(ids(store.search("大同"))) == sorted(a.id for a in made)
    assert store.find_article("100").id == made[0].id  # the number freed by the failed batch is usable


# -- photos ------------------------------------------------------------------------------------
def test_photos_are_stored_once_by_content(store: Store):
    data = b"\xff\xd8\xff fake jpeg bytes"
    first = store.photos.add_photo(data, format="JPEG", width=640, height=480, caption="图为大同古城墙。", photographer="李明")
    assert first.sha256 == hashlib.sha256(data).hexdigest()
    assert (first.width, first.height, first.byte_size) == (640, 480, len(data))
    again = store.photos.add_photo(data, format="JPEG", width=640, height=480, caption="另一个说明")
    assert again.id == first.id and again.caption == "图为大同古城墙。"  # same bytes: the stored photo
    assert store.photos.photo_bytes(first.sha256) == data
    with pytest.raises(NotFoundError):
        store.photos.photo_bytes("0" * 64)


def test_article_photos_keep_order_and_lead(store: Store):
    shas = [
        store.photos.add_photo(bytes([n]) * 10, format="PNG", width=1, height=1, caption=f"说明{n}").sha256
        for n in range(3)
    ]
    article = store.create_article(title="图片新闻")
    store.photos.set_article_photos(article.id, [shas[2], shas[0], shas[1]], lead=shas[0])
    photos = store.get_article(article.id).photos
    assert [p.photo.sha256 for p in photos] == [shas[2], shas[0], shas[1]]
    assert [p.is_lead for p in photos] == [False, True, False]
    assert store.get_article(article.id).lead_photo.photo.sha256 == shas[0]

    store.photos.set_article_photos(article.id, [shas[1], shas[1]])  # a repeat is used once; the first leads
    photos = store.get_article(article.id).photos
    assert [p.photo.sha256 for p in photos] == [shas[1]] and photos[0].is_lead
    with pytest.raises(NotFoundError):
        store.photos.set_article_photos(article.id, ["f" * 64])
    assert [p.photo.sha256 for p in store.get_article(article.id).photos] == [shas[1]]


def test_captions_and_photographers_are_searchable(store: Store):
    article = store.create_article(title="图片新闻", body="正文没有那些字")
    other = store.create_article(title="无关稿件")
    photo = store.photos.add_photo(b"img", format="JPEG", width=1, height=1, caption="图为云冈石窟第20窟。", photographer="张晓Ｗｅｉ")
    assert store.search("云冈") == []
    store.photos.set_article_photos(article.id, [photo.sha256])
    assert ids(store.search("云冈石窟")) == [article.id]
    assert ids(store.search("冈")) == [article.id]
    assert ids(store.search("张晓wei")) == [article.id]  # photographer, full-width folded
    assert ids(store.search("20窟")) == [article.id]
    store.photos.set_article_photos(article.id, [])
    assert store.search("云冈") == []
    assert ids(store.search("新闻")) == [article.id] and ids(store.search("无关")) == [other.id]


def test_tag_names_lists_each_tag_once_sorted(store: Store):
    store.create_article(title="一", tags=["旅游", "大同"])
    store.create_article(title="二", tags=["大同", "Taiyuan"])
    assert store.tag_names() == sorted({"旅游", "大同", "Taiyuan"})


@pytest.mark.parametrize("sort", ["title", "number", "status", "author", "channel"])
def test_lists_sort_by_every_column_a_list_shows(store: Store, sort):
    store.create_channel("a/b", "甲")
    store.create_channel("c", "乙")
    made = [
        store.create_article(title="乙稿", number=3, status="review", author="王", channel_path="c"),
        store.create_article(title="甲稿", number=None, status="draft", author="李", channel_path="a/b"),
        store.create_article(title="丙稿", number=1, status="published", author="赵", channel_path=None),
    ]
    by_id = {record.id: record for record in made}

    def key(record):
        value = {"channel": record.channel_path}.get(sort, getattr(record, sort, None))
        return (value is None, value)

    for descending in (False, True):
        listed = [item.id for item in store.list_articles(ArticleQuery(sort=sort, descending=descending)).items]
        present = sorted((r for r in made if key(r)[0] is False), key=key, reverse=descending)
        missing = [r for r in made if key(r)[0]]
        assert [by_id[i].id for i in listed] == [r.id for r in present] + [r.id for r in missing]


def test_an_unknown_sort_is_refused_clearly(store: Store):
    with pytest.raises(ValidationError, match="cannot sort by 'colour'"):
        store.list_articles(ArticleQuery(sort="colour"))
