"""Builders for the portal page import tests: a source store with the sample and articles using
every Markdown feature the renderer supports, exported as a site."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from dayuan_desktop.core.db import open_database
from dayuan_desktop.core.export import SiteExporter
from dayuan_desktop.core.sample import load_sample
from dayuan_desktop.core.site import SiteSettings
from dayuan_desktop.core.store import Store
from tests.helpers import jpeg_bytes, png_bytes

CHANNELS = {"gsyl": "公示要览", "gsyl/lzgs": "理政公示", "news": "新闻", "news/local": "本地新闻"}

FEATURES_BODY = """导语段落，包含**粗体**、*斜体*、***粗斜体***和[链接](http://www.shanxidayuan.com/gsyl/lzgs/4709.html "原文")。
第二行紧接着：A&B 与 3 < 5 的比较，`code_span`，下划线 user_name，星号 a*b 和 [注]。

![市民在广场晨练](photo:{p1})

## 一、基本情况

- 第一项
- 第二项，**重点**
    - 嵌套项
    - 嵌套项二
- 第三项

1. 第一步
2. 第二步

3. 第三步

> 引用的话。
> 第二行。
>
> 第二段引用，**加粗**。

### 二、数据

| 地区 | 人数 | 占比 |
| :--- | ---: | :---: |
| 平城区 | 6247 | 45% |
| 云冈区 | *1200* | 10% |

![](photo:{p2})

#### 三、结语

---

    缩进的代码块 <tag>
    第二行 & 符号

结尾段落，行末硬换行{hard_break}
下一行。2022. 年份开头的行不是列表。

![党员志愿者在社区服务](photo:{p3})
"""

SECOND_BODY = """#两会#代表委员热议民生话题。

![广场另一角](photo:{p1})

![](photo:{p4})

正文里有<u>下划线</u>、H<sub>2</sub>O、<del>删除</del>和<sup>上标</sup>。

![甲处](photo:{p5})

中间一段。

![乙处](photo:{p5})

- 单独一项 [外链](https://example.com/a?b=1&c=2)
"""


def open_store(path: Path) -> Store:
    """A store on a fresh SQLite file."""
    store = Store(open_database(str(path), backup_dir=path.parent / "backups"), user_name="tester")
    store.ensure_search_index()
    return store


def add_channels(store: Store) -> None:
    for path, name in CHANNELS.items():
        store.create_channel(path, name)


def build_source(store: Store) -> dict[str, str]:
    """The sample plus two articles exercising every feature; returns the photos' sha256 by key."""
    load_sample(store)
    add_channels(store)

    def photo(key: str, data: bytes, fmt: str, size: tuple[int, int], caption: str = "", by: str = "") -> str:
        return store.photos.add_photo(data, format=fmt, width=size[0], height=size[1], caption=caption,
                               photographer=by, original_name=f"{key}.{fmt.lower()}").sha256

    shas = {
        "p1": photo("p1", jpeg_bytes(1600, 1000), "JPEG", (1600, 1000), "市民在广场晨练", "李四"),
        "p2": photo("p2", png_bytes(640, 480), "PNG", (640, 480)),
        "p3": photo("p3", jpeg_bytes(800, 600, (20, 120, 60)), "JPEG", (800, 600), "党员志愿者在社区服务"),
        "p4": photo("p4", jpeg_bytes(900, 900, (200, 200, 30)), "JPEG", (900, 900), "", "王五"),
        "p5": photo("p5", jpeg_bytes(700, 500, (90, 30, 160)), "JPEG", (700, 500)),
    }
    first = store.create_article(
        title="全市“两会”特别报道：<数据>与 & 符号", subtitle="副标题：平城区防控工作纪实", author="记者 张三",
        source="太原", published_at=datetime(2023, 3, 5, 1, 2, 3, tzinfo=UTC), tags=["两会", "民生", "数据"],
        summary="摘要里有 \"引号\"、<尖括号> 和 & 符号。", status="published", number=5001, channel_path="news/local",
        body=FEATURES_BODY.format(**shas, hard_break="  "), comment_count=12, like_count=34, view_count=5678,
    )
    store.photos.set_article_photos(first.id, [shas["p1"], shas["p2"], shas["p3"]])
    second = store.create_article(
        title="第二篇", author="网络编辑", source="大同", published_at=datetime(2023, 3, 6, 8, 0, 0, 123456, tzinfo=UTC),
        tags=["单个"], status="published", number=5002, channel_path="gsyl", body=SECOND_BODY.format(**shas),
    )
    store.photos.set_article_photos(second.id, [shas["p1"], shas["p4"], shas["p5"]])
    store.create_article(title="草稿不导出", status="draft", body="草稿。")
    return shas


def export_site(store: Store, out: Path, site: SiteSettings | None = None) -> Path:
    SiteExporter(store, site or SiteSettings(), out, workers=1).run()
    return out


def article_pages(site: Path) -> dict[str, bytes]:
    """Every article page of an exported site (``<channel>/<number>.html``), by relative path."""
    return {
        page.relative_to(site).as_posix(): page.read_bytes()
        for page in sorted(site.rglob("*.html"))
        if page.stem.isdigit() and page.relative_to(site).parts[0] != "static"
    }


def site_files(site: Path, under: str = "") -> set[str]:
    root = site / under if under else site
    return {p.relative_to(site).as_posix() for p in root.rglob("*") if p.is_file()}
