"""The export benchmark's synthetic articles and photos (see export_bench.py).

Deterministic for a seed: Chinese text cut from a real portal article into words, ~2,000
characters an article with two subheadings, tags, an author and a channel; one distinct real
JPEG per article (made with Pillow); and the same article as a Pelican Markdown file.
"""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PIL import Image, ImageFilter, ImageOps

from dayuan_desktop.core.store import Store

PHOTO_WIDTH, PHOTO_HEIGHT, PHOTO_QUALITY = 1600, 1067, 85
SITE_TZ = ZoneInfo("Asia/Shanghai")

# A few sentences of a real portal article (大院网 4709): the source of the synthetic words.
REFERENCE_TEXT = """\
亮身份、扬旗帜、树形象，连日来，市区机关广大党员干部不分昼夜奋战在平城区村庄、社区一线，强化疫情防控，当好人民群众
健康平安的守门员。在这一场市区力量迅速下沉、多方配合联动发力、层层压实防控责任的行动中，平城区一手抓防控管理体系的
构建，一手抓防控管理能力的提升，筑起疫情防控群防群治、联防联治的铜墙铁壁，把抓党建促基层治理能力提升专项行动转化为
推进疫情防控科学化的生动实践。平城区是我市疫情防控的桥头堡。平城区委积极主动履职，强化政治担当，迅速行动，科学组织，
让党旗在防疫一线高高飘扬。在城市无物业小区门口，在进入农村的主要交通路口，广大党员干部高扬党的旗帜，亮出党员身份，
真正发挥战斗堡垒作用和先锋模范作用，在防疫一线独当一面，成为平城区春日里一道最美的风景线。下沉党员干部在防控疫情的
同时，热情服务居民，引导居民加入小区疫情防控微信群，第一时间向居民传达疫情防控政策，受到了居民的广泛好评。演练中，
应急预案启动、压实管理措施、限制人员流动、集中核酸检测、落实物资供应、接收转运人员等各个环节环环相扣，有条不紊，
有力地提升了辖区的应急处置能力。今年以来，全市经济运行稳中向好，重点项目建设加快推进，城乡居民收入持续增长，
生态环境质量明显改善，文化旅游产业蓬勃发展，科技创新能力不断提升，人民群众的获得感幸福感安全感更加充实。
"""
CJK_RUN = re.compile(r"[\u4e00-\u9fa5]+")
CHANNELS = (  # (path, name, articles go here)
    ("gsyl", "各市要闻", False),
    ("gsyl/lzgs", "大同", True),
    ("gsyl/tyxw", "太原", True),
    ("news", "新闻", False),
    ("news/sx", "山西新闻", True),
    ("news/china", "国内新闻", True),
    ("news/world", "国际新闻", True),
    ("finance", "财经频道", True),
    ("culture", "文化", False),
    ("culture/edu", "教育频道", True),
    ("culture/travel", "文旅频道", True),
)
ARTICLE_CHANNELS = tuple((path, name) for path, name, used in CHANNELS if used)
TAG_WORDS = (  # distinct in pinyin, so Pelican's tag slugs do not collide
    "时政", "民生", "防控", "财经", "教育", "科技", "文旅", "体育", "法治", "三农",
    "环保", "交通", "健康", "党建", "招商", "楼市", "就业", "气象", "消防", "社会",
)
AUTHORS = ("网络编辑", "王宏伟", "李娜", "张强", "赵敏", "陈晨", "刘洋", "本网记者")
SOURCES = ("大同", "大院网", "山西日报", "大同日报", "新华社", "人民网", "太原晚报")
PHOTOGRAPHERS = ("马向英", "李明", "王芳", "张伟", "刘洁", "陈静")
PUBLISH_FROM = datetime(2018, 1, 1, tzinfo=timezone(timedelta(hours=8)))
PUBLISH_SPAN_S = 8 * 365 * 86_400


# -- synthetic articles ----------------------------------------------------------------------
def _words() -> tuple[str, ...]:
    """The reference text's runs of Chinese characters cut into 1–4-character words."""
    rng = random.Random(20_221_213)
    words: list[str] = []
    for run in CJK_RUN.findall(REFERENCE_TEXT.replace("\n", "")):
        i = 0
        while i < len(run):
            n = rng.choices((1, 2, 3, 4), weights=(20, 55, 12, 13))[0]
            words.append(run[i : i + n])
            i += n
    return tuple(dict.fromkeys(words))


WORDS = _words()


class Writer:
    """Deterministic Chinese text for one article (its own random stream)."""

    def __init__(self, seed: int, index: int) -> None:
        self.rng = random.Random(f"export-bench:{seed}:{index}")

    def phrase(self, low: int, high: int) -> str:
        return "".join(self.rng.choices(WORDS, k=self.rng.randint(low, high)))

    def sentence(self) -> str:
        rng = self.rng
        parts = [self.phrase(3, 7) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.3:
            parts.append(f"{rng.randint(2, 9999)}{rng.choice('人个家所项户名件次')}")
        return "，".join(parts) + rng.choice("。。。。。！？")

    def paragraphs(self, target: int) -> list[str]:
        out: list[str] = []
        length = 0
        while length < target:
            paragraph = "".join(self.sentence() for _ in range(self.rng.randint(2, 5)))
            out.append(paragraph)
            length += len(paragraph)
        return out


@dataclass(frozen=True)
class Synthetic:
    """One generated article: the store's values (body without its photo line) and its photo's texts."""

    values: dict
    body_parts: tuple[tuple[str, ...], ...]  # three runs of paragraphs
    subheadings: tuple[str, str]
    caption: str
    photographer: str
    channel_name: str

    def body(self, photo_line: str) -> str:
        """The Markdown body: the photo line, paragraphs, two ``##`` subheadings between them."""
        first, second, third = ("\n\n".join(part) for part in self.body_parts)
        return (f"{photo_line}\n\n{first}\n\n## {self.subheadings[0]}\n\n{second}\n\n"
                f"## {self.subheadings[1]}\n\n{third}\n")


def make_article(seed: int, index: int, body_chars: int | None = None) -> Synthetic:
    """Article ``index`` of the seed: ~2,000 characters of body text (or ``body_chars``)."""
    w = Writer(seed, index)
    rng = w.rng
    target = body_chars if body_chars is not None else rng.randint(1800, 2200)
    shares = (0.4, 0.3, 0.3)
    parts = tuple(tuple(w.paragraphs(int(target * share))) for share in shares)
    channel_path, channel_name = rng.choice(ARTICLE_CHANNELS)
    published = PUBLISH_FROM + timedelta(seconds=rng.randrange(PUBLISH_SPAN_S))
    values = {
        "title": w.phrase(5, 9)[:26],
        "author": rng.choice(AUTHORS),
        "source": rng.choice(SOURCES),
        "summary": w.sentence(),
        "tags": rng.sample(TAG_WORDS, rng.randint(1, 3)),
        "channel_path": channel_path,
        "status": "published",
        "published_at": published,
        "number": 10_000 + index,
        "comment_count": rng.randint(0, 30),
        "like_count": rng.randint(0, 500),
        "view_count": rng.randint(0, 50_000),
    }
    return Synthetic(
        values=values, body_parts=parts, subheadings=(w.phrase(3, 5), w.phrase(3, 5)),
        caption="图为" + w.phrase(4, 8) + "。", photographer=rng.choice(PHOTOGRAPHERS), channel_name=channel_name,
    )


_photo_bases: dict[tuple[int, int], Image.Image] = {}


def make_photo(index: int, size: tuple[int, int] = (PHOTO_WIDTH, PHOTO_HEIGHT), *, quality: int = PHOTO_QUALITY,
               label: str = "dayuan export bench photo") -> bytes:
    """A distinct real JPEG for each index: a coloured diagonal gradient with blurred noise."""
    base = _photo_bases.get(size)
    if base is None:  # built once per (worker) process and size
        gradient = Image.linear_gradient("L").rotate(35, expand=True).resize(size)
        noise = Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(1.2))
        base = _photo_bases[size] = Image.blend(gradient, noise, 0.35)
    rng = random.Random(f"photo:{index}")
    dark = tuple(rng.randrange(0, 110) for _ in range(3))
    light = tuple(rng.randrange(140, 256) for _ in range(3))
    buffer = io.BytesIO()
    ImageOps.colorize(base, dark, light).save(buffer, "JPEG", quality=quality, comment=f"{label} {index}".encode())
    return buffer.getvalue()


def pelican_markdown(article: Synthetic, image_name: str) -> str:
    """The article as a Pelican Markdown file (metadata header, photo as a static image)."""
    v = article.values
    published = v["published_at"].astimezone(SITE_TZ).strftime("%Y-%m-%d %H:%M:%S")
    head = (
        f"Title: {v['title']}\nDate: {published}\nCategory: {article.channel_name}\n"
        f"Tags: {', '.join(v['tags'])}\nAuthor: {v['author']}\nSlug: {v['number']}\nSummary: {v['summary']}\n\n"
    )
    return head + article.body(f"![{article.caption}]({{static}}/images/{image_name})")


def change_one_title(store: Store, newest: bool = True, mark: str = "") -> tuple[int, str]:
    """Give the newest published article a new title, as an editor's save does; its number and title.

    ``mark`` makes each of several changes in a row a different title.
    """
    rows = store.published_rows()  # newest first
    row = rows[0] if newest else rows[len(rows) // 2]
    article = store.get_article(row.id)
    title = article.title[:20] + f"（更新{mark}）"
    store.update_article(article.id, {"title": title}, expected_version=article.version)
    return row.number or 0, title
