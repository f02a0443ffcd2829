"""Store benchmark: insert, list and search over synthetic Chinese news articles in SQLite.

Run from the repository root::

    .venv/bin/python benchmarks/store_bench.py [--articles N] [--db PATH] [--seed S]

It builds N synthetic articles (~2,000 characters each, deterministic for a seed) in a
fresh SQLite file through the real store API (``Store.create_articles``: revisions and the
search index are written as the app writes them), then prints:

* insert throughput (articles/s) and total insert time;
* time to the first list page (a first call on a freshly opened database, then the median);
* search time for 1-, 2-, 3- and 4-character queries (``Store.search(q, limit=50)``, median
  of several runs), next to the same query by a plain substring scan of the articles table
  (the baseline), with hit counts and whether both found the same articles;
* index build time (``Store.rebuild_search_index()`` over the whole database);
* sizes: raw text, search index, articles, revisions and the whole file;
* a summary of the targets of issue 2 (every search <= 50 ms median; index <= 1.5x the
  text) with PASS/FAIL. Timings are reported, never asserted: the script exits 0.

Nothing here depends on files outside this script: the vocabulary is built from the
Chinese news text and word list embedded below.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from bisect import bisect
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path

import sqlalchemy
from sqlalchemy import text

# This checkout's package first: an editable install elsewhere (a worktree sharing a venv) would
# otherwise be what is measured.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import Progress, code_version, p, verdict  # noqa: E402

from dayuan_desktop.core.db import open_database  # noqa: E402
from dayuan_desktop.core.search import build_search_text, normalize  # noqa: E402
from dayuan_desktop.core.store import ArticleQuery, Store  # noqa: E402

SEARCH_TARGET_MS = 50.0
INDEX_TARGET_RATIO = 1.5

# A few paragraphs of a real portal article (大院网 4709), the source of realistic words.
REFERENCE_TEXT = """\
党旗飘扬筑起疫情防控钢铁长城。亮身份、扬旗帜、树形象，连日来，市区机关广大党员干部不分昼夜奋战在平城区村庄、
社区一线，强化疫情防控，当好人民群众健康平安的守门员。在这一场市区力量迅速下沉、多方配合联动发力、层层压实防控责任
的行动中，平城区一手抓防控管理体系的构建，一手抓防控管理能力的提升，筑起疫情防控群防群治、联防联治的铜墙铁壁，
把抓党建促基层治理能力提升专项行动转化为推进疫情防控科学化的生动实践。平城区是我市疫情防控的桥头堡。平城区委积极
主动履职，强化政治担当，迅速行动，科学组织，让党旗在防疫一线高高飘扬。平城区街道共对接接收下沉一线人员，构建起强大
严密的疫情防控组织体系。在城市无物业小区门口，在进入农村的主要交通路口，广大党员干部高扬党的旗帜，亮出党员身份，
真正发挥战斗堡垒作用和先锋模范作用，在防疫一线独当一面，成为平城区春日里一道最美的风景线。在小南头街道疫情防控卡口，
市市政综合所的同志们一一查看过往司机的两码，不厌其烦地提醒过往人员提高警惕，做好自身防护。下沉党员干部在防控疫情的
同时，热情服务居民，引导居民加入小区疫情防控微信群，第一时间向居民传达疫情防控政策，受到了居民的广泛好评。平城区
制定了一系列保障制度，推动下沉干部积极提升自身应变能力，创新活动方式方法，以扎实的基本功做好岗位工作。演练中，
应急预案启动、压实管理措施、限制人员流动、集中核酸检测、落实物资供应、接收转运人员等各个环节环环相扣，有条不紊，
有力地提升了辖区的应急处置能力。
"""

# Frequent words of Chinese news writing, most frequent first (they get the top Zipf ranks).
_COMMON_WORDS_TEXT = """\
的 在 了 和 是 对 等 为 将 与 中 也 上 有 不 人 从 以 到 这 并 个 年 月 日 我们 工作 发展 建设 推进 经济 社会
中国 全国 国家 政府 企业 项目 群众 市场 记者 表示 进行 开展 加强 实现 提高 完善 推动 落实 服务 管理 安全 城市
农村 地区 部门 单位 全面 重要 重点 问题 情况 方面 通过 已经 目前 今年 去年 同比 增长 投资 资金 产业 文化 教育
医疗 卫生 环境 生态 保护 交通 旅游 科技 创新 改革 政策 制度 领导 干部 党员 组织 会议 活动 记者从 据悉 近日
山西 太原 大同 北京 上海 省委 市委 书记 市长 代表 委员 人民 百姓 居民 社区 街道 乡村 振兴 脱贫 攻坚 疫情 防控
核酸 检测 疫苗 接种 医院 学校 学生 老师 家长 孩子 公司 有限公司 集团 银行 金融 消费 就业 收入 价格 住房 能源
煤炭 电力 新能源 绿色 低碳 数字 网络 平台 信息 数据 智能 制造 工业 农业 粮食 水利 气象 天气 降雨 高温 应急
救援 消防 公安 警方 法院 检察院 依法 法律 规定 要求 标准 质量 监管 检查 整治 宣传 培训 志愿者 群众 满意
"""
COMMON_WORDS = tuple(_COMMON_WORDS_TEXT.split())

LATIN_TERMS = (
    "COVID-19", "5G", "GDP", "CPI", "PPI", "AI", "APP", "PM2.5", "WiFi", "GPS", "LED", "VR", "IT",
    "NBA", "WTO", "APEC", "CEO", "ETC", "ChatGPT", "iPhone", "USB", "SUV", "4K", "IPO",
)
UNITS = ("人", "个", "万元", "亿元", "家", "所", "项", "公里", "吨", "户", "名", "件", "次", "亩", "台")
TAG_WORDS = (
    "时政", "民生", "防控", "财经", "教育", "科技", "文旅", "体育", "法治", "三农", "环保", "交通",
    "健康", "党建", "招商", "楼市", "就业", "气象", "消防", "社会",
)
CHANNELS = (
    ("gsyl", "各市要闻"),
    ("gsyl/lzgs", "各市要闻·大同"),
    ("news/sx", "山西新闻"),
    ("news/china", "国内新闻"),
    ("news/world", "国际新闻"),
    ("finance", "财经"),
    ("culture/edu", "教育"),
    ("culture/travel", "文旅"),
)
AUTHORS = ("网络编辑", "记者 王宏伟", "记者 李娜", "通讯员 张强", "记者 赵敏", "实习生 陈晨", "刘洋", "本网记者")
SOURCES = ("大同", "大院网", "山西日报", "大同日报", "新华社", "人民网", "太原晚报", "")
PUNCT_END = "。" * 14 + "！？"
TZ_BEIJING = timezone(timedelta(hours=8), "CST")
PUBLISH_FROM = datetime(2018, 1, 1, tzinfo=TZ_BEIJING)
PUBLISH_SPAN_S = int((datetime(2026, 1, 1, tzinfo=TZ_BEIJING) - PUBLISH_FROM).total_seconds())

CJK_RUN = re.compile(r"[\u4e00-\u9fa5]+")


# -- synthetic text ------------------------------------------------------------------------
class Vocabulary:
    """Chinese words with Zipf-like weights: common news words, reference words, rare words."""

    def __init__(self, rng: random.Random, rare_words: int = 3000, exponent: float = 1.0) -> None:
        ranked: list[str] = list(dict.fromkeys(COMMON_WORDS))
        seen = set(ranked)
        cut = _cut_reference(rng)
        rng.shuffle(cut)
        ranked += [w for w in cut if w not in seen]
        seen.update(ranked)
        self.rare_start = len(ranked)
        rare: list[str] = []
        while len(rare) < rare_words:
            length = rng.choices((1, 2, 3, 4), weights=(15, 60, 15, 10))[0]
            word = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(length))
            if word not in seen:
                seen.add(word)
                rare.append(word)
        ranked += rare
        self.words = ranked
        self.rank = {w: i for i, w in enumerate(ranked)}
        # Zipf–Mandelbrot: weight 1 / (rank + 2.7) ** s; the shift tames the very top.
        self.cum = list(accumulate(1.0 / (i + 2.7) ** exponent for i in range(len(ranked))))
        self.total = self.cum[-1]
        self.chars = {c for w in ranked for c in w}

    def draw(self, rng: random.Random, k: int) -> list[str]:
        words, cum, total, rand, hi = self.words, self.cum, self.total, rng.random, len(self.words) - 1
        return [words[bisect(cum, rand() * total, 0, hi)] for _ in range(k)]


def _cut_reference(rng: random.Random) -> list[str]:
    """Cut the reference text's runs of Chinese characters into 1–4-character words."""
    words: list[str] = []
    for run in CJK_RUN.findall(REFERENCE_TEXT.replace("\n", "")):
        for _ in range(3):  # three cuttings with different boundaries
            i = 0
            while i < len(run):
                n = rng.choices((1, 2, 3, 4), weights=(20, 55, 12, 13))[0]
                words.append(run[i : i + n])
                i += n
    return list(dict.fromkeys(w for w in words if w))


class ArticleGenerator:
    """Deterministic synthetic articles for a seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = Vocabulary(self.rng)

    def _sprinkle(self) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.25:
            return f"{rng.randint(1990, 2025)}年"
        if kind < 0.45:
            return f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
        if kind < 0.70:
            return f"{rng.randint(2, 9999)}{rng.choice(UNITS)}"
        if kind < 0.80:
            return f"{rng.randint(1, 99)}.{rng.randint(0, 9)}%"
        return rng.choice(LATIN_TERMS)

    def sentence(self, low: int = 6, high: int = 20, end: str | None = None) -> str:
        rng = self.rng
        words = self.vocab.draw(rng, rng.randint(low, high))
        if rng.random() < 0.35:
            words[rng.randrange(len(words))] = self._sprinkle()
        if rng.random() < 0.08 and len(words) > 4:
            i = rng.randrange(len(words) - 2)
            words[i] = "“" + words[i]
            words[i + 1] += "”"
        parts: list[str] = []
        clause = 0
        for word in words[:-1]:
            parts.append(word)
            clause += 1
            if clause >= 4 and rng.random() < 0.3:
                parts.append("、" if rng.random() < 0.15 else "，")
                clause = 0
        parts.append(words[-1])
        parts.append(rng.choice(PUNCT_END) if end is None else end)
        return "".join(parts)

    def body(self, target: int) -> str:
        rng = self.rng
        paragraphs: list[str] = []
        length = 0
        while length < target:
            paragraph = "".join(self.sentence() for _ in range(rng.randint(2, 6)))
            paragraphs.append(paragraph)
            length += len(paragraph) + 2
        return "\n\n".join(paragraphs)

    def title(self) -> str:
        rng = self.rng
        target = rng.randint(14, 26)
        parts: list[str] = []
        while sum(map(len, parts)) < target:
            parts.extend(self.vocab.draw(rng, 2))
            if rng.random() < 0.08:
                parts.append(self._sprinkle())
        title = "".join(parts)
        if len(title) > 12 and rng.random() < 0.25:
            cut = rng.randint(4, len(title) - 6)
            title = title[:cut] + "：" + title[cut:]
        return title

    def article(self, index: int) -> dict:
        rng = self.rng
        status = rng.choices(("published", "draft", "review", "ready", "withdrawn"), weights=(90, 4, 3, 2, 1))[0]
        published_at = None
        if status in ("published", "withdrawn") or rng.random() < 0.2:
            published_at = PUBLISH_FROM + timedelta(seconds=rng.randrange(PUBLISH_SPAN_S))
        return {
            "title": self.title(),
            "subtitle": self.sentence(3, 7, end="") if rng.random() < 0.15 else "",
            "author": rng.choice(AUTHORS),
            "source": rng.choice(SOURCES),
            "summary": self.sentence(10, 24) + (self.sentence(6, 14) if rng.random() < 0.5 else ""),
            "body": self.body(rng.randint(1600, 2400)),
            "tags": rng.sample(TAG_WORDS, rng.randint(1, 3)),
            "channel_path": rng.choice(CHANNELS)[0],
            "status": status,
            "published_at": published_at,
            "number": 10_000 + index,
            "comment_count": rng.randint(0, 30),
            "like_count": rng.randint(0, 500),
            "view_count": rng.randint(0, 50_000),
        }


def raw_text(values: dict) -> str:
    return values["title"] + values["subtitle"] + values["summary"] + values["body"] + "".join(values["tags"])


def search_text(values: dict) -> str:
    return build_search_text(
        title=values["title"], subtitle=values["subtitle"], summary=values["summary"],
        body=values["body"], tags=values["tags"],
    )


# -- queries -------------------------------------------------------------------------------
@dataclass
class BenchQuery:
    length: int  # the group it is reported in (1, 2, 4) or 0 for extras
    label: str
    text: str
    matching: int = 0  # articles whose search text contains it (counted while generating)
    index_ms: list[float] = field(default_factory=list)
    index_cpu_ms: list[float] = field(default_factory=list)
    rebuilt_ms: list[float] = field(default_factory=list)
    scan_ms: list[float] = field(default_factory=list)
    index_hits: int = 0
    scan_hits: int = 0
    same: bool = True

    @property
    def group(self) -> str:
        return f"{self.length}-char" if self.length else "extra"


# Document-frequency bands (share of sample articles containing the word) per query length.
QUERY_BANDS = {
    1: (("common", 0.9, 1.0), ("middling", 0.05, 0.4), ("rare", 0.001, 0.02)),
    2: (("common", 0.5, 1.0), ("middling", 0.05, 0.3), ("rare", 0.001, 0.02)),
    3: (("common", 0.3, 1.0), ("middling", 0.02, 0.15), ("rare", 0.001, 0.01)),
    4: (("common", 0.2, 1.0), ("middling", 0.02, 0.15), ("rare", 0.001, 0.01)),
}


def choose_queries(gen: ArticleGenerator, sample: list[dict], rng: random.Random) -> list[BenchQuery]:
    """Words of 1, 2, 3 and 4 characters that really occur (common, middling, rare) plus misses.

    A word's band is decided by its document frequency in the sample (the first batch).
    """
    vocab = gen.vocab
    sample_texts = [search_text(v) for v in sample[:300]]
    tag_text = "".join(TAG_WORDS)
    queries: list[BenchQuery] = []
    for length, bands in QUERY_BANDS.items():
        candidates = [w for w in vocab.words if len(w) == length and w not in tag_text]
        rng.shuffle(candidates)
        share = {w: sum(w in t for t in sample_texts) / len(sample_texts) for w in candidates}
        chosen: set[str] = set()
        for label, low, high in bands:
            pool = [w for w in candidates if w not in chosen and share[w] > 0]
            inside = [w for w in pool if low <= share[w] <= high]
            # Rare: prefer the random rare words; common and middling: the news-text words.
            inside.sort(key=lambda w: (vocab.rank[w] < vocab.rare_start) == (label == "rare"))
            if label == "common":  # and a word of the embedded common-word list first of all
                inside.sort(key=lambda w: w not in COMMON_WORDS)
            word = inside[0] if inside else min(pool, key=lambda w: min(abs(share[w] - low), abs(share[w] - high)))
            chosen.add(word)
            queries.append(BenchQuery(length, label, word))
        queries.append(BenchQuery(length, "absent", _absent_word(vocab, length, rng)))
    for length in (3, 4):
        queries.append(BenchQuery(length, "pairs-only", _pairs_only_word(sample_texts, length)))
    queries.append(BenchQuery(0, "latin", "GDP"))
    queries.append(BenchQuery(0, "mixed", "COVID-19"))
    queries.sort(key=lambda q: q.length or 99)  # by group, in the order made
    return queries


def _absent_word(vocab: Vocabulary, length: int, rng: random.Random) -> str:
    """A word of characters that appear nowhere in the generated text."""
    unused = [chr(c) for c in range(0x4E00, 0x9FA6) if chr(c) not in vocab.chars and chr(c) not in "年月日人个万元亿家所项公里吨户名件次亩台"]
    return "".join(rng.sample(unused, length))


def _pairs_only_word(texts: list[str], length: int) -> str:
    """A word whose character pairs are all frequent but which (in the sample) never occurs.

    The worst case for an index of character pairs: every candidate it finds must be
    checked against the text and rejected.
    """
    pair_df: Counter[str] = Counter()
    for t in texts:
        pair_df.update({a + b for a, b in zip(t, t[1:], strict=False) if "\u4e00" <= a <= "\u9fa5" and "\u4e00" <= b <= "\u9fa5"})
    top = [p for p, _ in pair_df.most_common(150)]
    by_first: dict[str, list[str]] = {}
    for pair in top:
        by_first.setdefault(pair[0], []).append(pair)
    chains = [[p] for p in top]
    for _ in range(length - 2):  # extend each chain of pairs by one overlapping pair
        chains = [chain + [nxt] for chain in chains for nxt in by_first.get(chain[-1][1], ())]
    best: tuple[int, str] | None = None
    for chain in chains:
        word = chain[0] + "".join(p[1] for p in chain[1:])
        if len(set(word)) < length or any(word in t for t in texts):
            continue
        score = min(pair_df[p] for p in chain)
        if best is None or score > best[0]:
            best = (score, word)
    if best is None:  # tiny samples: fall back to a chain that may occur
        return (top[0] + top[1])[:length] if len(top) > 1 else "中国发展"[:length]
    return best[1]


# -- measuring -----------------------------------------------------------------------------
def timed(fn: Callable[[], object]) -> tuple[float, object]:
    """Wall-clock milliseconds of one call, and its result."""
    start = time.perf_counter()
    result = fn()
    return (time.perf_counter() - start) * 1000.0, result


def timed_cpu(fn: Callable[[], object]) -> tuple[float, float, object]:
    """Wall-clock and this process's CPU milliseconds of one call, and its result.

    On a shared machine the CPU time shows what the call costs when it is not waiting for
    a core; the wall-clock time is what the targets are judged by.
    """
    cpu = time.process_time()
    wall, result = timed(fn)
    return wall, (time.process_time() - cpu) * 1000.0, result


def load_average() -> str:
    try:
        return "load average " + ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "load average unknown"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


SCAN_SQL = text(
    "SELECT id FROM articles WHERE (instr(title, :q) > 0 OR instr(body, :q) > 0 OR instr(summary, :q) > 0 "
    "OR instr(subtitle, :q) > 0) AND deleted_at IS NULL ORDER BY sort_key DESC LIMIT 50"
)


def scan_search(store: Store, q: str) -> list[int]:
    with store.db.engine.connect() as conn:
        return [row[0] for row in conn.execute(SCAN_SQL, {"q": q})]


def index_search(store: Store, q: str) -> list[int]:
    return [s.id for s in store.search(q, limit=50)]


@dataclass
class Sizes:
    page_size: int
    file_bytes: int
    free_bytes: int
    by_name: dict[str, int]

    def prefixed(self, *prefixes: str) -> int:
        return sum(size for name, size in self.by_name.items() if name.startswith(prefixes))

    def table_with_indexes(self, table: str, indexes: list[str]) -> tuple[int, int]:
        own = self.by_name.get(table, 0)
        return own, own + sum(self.by_name.get(i, 0) for i in indexes)


def measure_sizes(store: Store, db_path: Path) -> tuple[Sizes, dict[str, list[str]]]:
    with store.db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.exec_driver_sql("PRAGMA page_size").scalar()
        free = conn.exec_driver_sql("PRAGMA freelist_count").scalar() * page_size
        by_name = {name: size for name, size in conn.exec_driver_sql("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")}
        indexes: dict[str, list[str]] = {}
        for name, table in conn.exec_driver_sql("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index'"):
            indexes.setdefault(table, []).append(name)
    file_bytes = sum(p.stat().st_size for p in (db_path, Path(f"{db_path}-wal")) if p.exists())
    return Sizes(page_size, file_bytes, free, by_name), indexes


def fmt_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def fmt_ms(ms: float) -> str:
    return f"{ms:,.1f} ms" if ms < 10_000 else f"{ms / 1000:,.1f} s"


class InsertProgress(Progress):
    """The insert's progress line: articles per second in the store and the time left."""

    def line(self, done: int, elapsed: float, *details: float) -> str:
        insert_s = details[0]
        rate = done / insert_s if insert_s else 0.0
        eta = elapsed / done * (self.total - done) if done else 0.0
        return f"inserted {done:,}/{self.total:,} ({rate:,.0f} articles/s in the store, elapsed {elapsed:,.0f} s, ETA {eta:,.0f} s)"


# -- the benchmark -------------------------------------------------------------------------
def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--articles", type=int, default=100_000, help="how many articles (default 100000)")
    parser.add_argument("--db", type=Path, help="SQLite file to create and keep (must not exist); default: a temporary file")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the synthetic text (default 1)")
    parser.add_argument("--batch", type=int, default=500, help="articles per create_articles transaction (default 500)")
    parser.add_argument("--runs", type=int, default=7, help="runs per indexed search (median; default 7)")
    parser.add_argument("--scan-runs", type=int, default=3, help="runs per substring scan (median; default 3)")
    parser.add_argument("--reuse", type=Path, metavar="DB",
                        help="measure list, search and sizes on a database an earlier run built with --db (same "
                             "--articles, --seed and --batch): no insert and no index build (the store rebuilds "
                             "its index on opening when the search format changed)")
    args = parser.parse_args(argv)
    if args.articles < 1 or args.batch < 1 or args.runs < 1 or args.scan_runs < 1:
        parser.error("--articles, --batch, --runs and --scan-runs must be positive")
    if args.reuse is not None:
        if args.db is not None:
            parser.error("--reuse and --db exclude each other")
        if not args.reuse.is_file():
            parser.error(f"{args.reuse} does not exist")
    if args.db is not None:
        for p in (args.db, Path(f"{args.db}-wal"), Path(f"{args.db}-shm")):
            if p.exists():
                parser.error(f"{p} already exists; the benchmark needs a fresh file (remove it or choose another)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = sys.stdout
    tmp_dir = None
    if args.reuse is not None:
        db_path = args.reuse.expanduser().resolve()
    elif args.db is None:
        tmp_dir = tempfile.mkdtemp(prefix="dayuan-bench-")
        db_path = Path(tmp_dir) / "bench.sqlite3"
    else:
        db_path = args.db.expanduser().resolve()
    try:
        run(args, db_path, out)
    finally:
        if tmp_dir is not None:
            shutil.rmtree(tmp_dir, ignore_errors=True)
    return 0


def run(args: argparse.Namespace, db_path: Path, out) -> None:
    n = args.articles
    p(out, "Dayuan Desktop store benchmark")
    p(out, f"  Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, SQLAlchemy {sqlalchemy.__version__}, "
           f"{os.cpu_count()} CPUs, {platform.machine()}; {load_average()} at the start")
    p(out, f"  code: {code_version()}")
    temporary = args.db is None and args.reuse is None
    p(out, f"  database: {db_path}{' (temporary, removed at the end)' if temporary else ''}"
           + (" (reused: built by an earlier run; no insert and no index build in this one)" if args.reuse else ""))
    p(out, f"  articles: {n:,}, seed {args.seed}, {args.batch} per transaction")

    gen = ArticleGenerator(args.seed)
    vocab = gen.vocab
    p(out, f"  vocabulary: {len(vocab.words):,} words ({vocab.rare_start:,} from news text, "
           f"{len(vocab.words) - vocab.rare_start:,} rare random words), {len(vocab.chars):,} distinct characters")
    if args.reuse is not None:
        reused(args, db_path, gen, out)
        return

    db = open_database(db_path)
    store = Store(db, user_name="bench")
    store.ensure_search_index()
    for path, name in CHANNELS:
        store.create_channel(path, name)

    # -- insert ------------------------------------------------------------------------
    p(out)
    p(out, "== Insert (Store.create_articles, one transaction per batch) ==")
    queries: list[BenchQuery] = []
    raw_bytes = 0
    chars_total = 0
    gen_s = 0.0
    insert_s = 0.0
    insert_cpu_s = 0.0
    distinct_chars: list[int] = []
    distinct_pairs: list[int] = []
    progress = InsertProgress(n, reports=20)
    done = 0
    while done < n:
        size = min(args.batch, n - done)
        t0 = time.perf_counter()
        batch = [gen.article(done + i) for i in range(size)]
        texts = [search_text(v) for v in batch]
        if not queries:
            queries = choose_queries(gen, batch, random.Random(args.seed + 1))
            for t in texts[:200]:
                distinct_chars.append(len({c for c in t if not c.isspace()}))
                distinct_pairs.append(len({a + b for a, b in zip(t, t[1:], strict=False) if not (a.isspace() or b.isspace())}))
        for v, t in zip(batch, texts, strict=True):
            raw = raw_text(v)
            raw_bytes += len(raw.encode("utf-8"))
            chars_total += len(raw)
            for q in queries:
                if normalize(q.text) in t:
                    q.matching += 1
        t1, c1 = time.perf_counter(), time.process_time()
        store.create_articles(batch)
        t2 = time.perf_counter()
        insert_cpu_s += time.process_time() - c1
        gen_s += t1 - t0
        insert_s += t2 - t1
        done += size
        progress.update(done, insert_s)
    p(out, f"generated: {chars_total:,} characters of text ({chars_total / n:,.0f} per article; "
           f"{mean_int(distinct_chars)} distinct characters and {mean_int(distinct_pairs)} distinct pairs per article) "
           f"in {gen_s:,.1f} s (not counted below)")
    p(out, f"insert throughput: {n / insert_s:,.0f} articles/s ({n:,} articles in {insert_s:,.1f} s)")
    p(out, f"insert total time: {insert_s:,.1f} s (CPU time of this process: {insert_cpu_s:,.1f} s, "
           f"i.e. {n / insert_cpu_s:,.0f} articles per CPU second)")
    db.dispose()
    insert = f"{n / insert_s:10,.0f} articles/s ({n / insert_cpu_s:,.0f} per CPU second)"
    measure(args, db_path, queries, raw_bytes, insert, out, rebuild=True)


def reused(args: argparse.Namespace, db_path: Path, gen: ArticleGenerator, out) -> None:
    """The figures after the insert, on a database an earlier run built (--reuse)."""
    n = args.articles
    first = [gen.article(i) for i in range(min(args.batch, n))]
    queries = choose_queries(gen, first, random.Random(args.seed + 1))
    p(out)
    p(out, "== Reused database (what the insert phase counts, counted again from the stored articles) ==")
    started = time.perf_counter()
    db = open_database(db_path)
    store = Store(db, user_name="bench")
    store.ensure_search_index()  # rebuilds here when the search format changed since the database was built
    p(out, f"opened and index checked in {time.perf_counter() - started:,.1f} s")
    raw_bytes, count = 0, 0
    with db.engine.connect() as conn:
        oldest = conn.execute(text("SELECT title FROM articles ORDER BY id LIMIT 1")).scalar()
        if oldest != first[0]["title"]:
            raise SystemExit(f"{db_path} was not built by this generator with seed {args.seed} (first title differs)")
        tags: dict[int, list[str]] = {}
        for article_id, name in conn.execute(text(
                "SELECT l.article_id, t.name FROM article_tags l JOIN tags t ON t.id = l.tag_id "
                "ORDER BY l.article_id, l.position")):
            tags.setdefault(article_id, []).append(name)
        for row in conn.execute(text("SELECT id, title, subtitle, summary, body FROM articles")):
            values = {"title": row[1], "subtitle": row[2], "summary": row[3], "body": row[4], "tags": tags.get(row[0], [])}
            raw_bytes += len(raw_text(values).encode("utf-8"))
            t = search_text(values)
            count += 1
            for q in queries:
                if normalize(q.text) in t:
                    q.matching += 1
    db.dispose()
    if count != n:
        raise SystemExit(f"{db_path} holds {count:,} articles, not --articles {n:,}")
    measure(args, db_path, queries, raw_bytes, "not measured (database reused)", out, rebuild=False)


def measure(args: argparse.Namespace, db_path: Path, queries: list[BenchQuery], raw_bytes: int, insert: str, out,
            *, rebuild: bool) -> None:
    """List, search (index and scan), index build (``rebuild``), sizes and the summary."""
    n = args.articles
    db = open_database(db_path)
    store = Store(db, user_name="bench")
    p(out)
    p(out, "== List (Store.list_articles) ==")
    first_ms, page = timed(lambda: store.list_articles(ArticleQuery(limit=50)))
    p(out, f"first list page, first call after opening: {fmt_ms(first_ms)} ({len(page.items)} rows, total {page.total:,})")
    list_median = float("nan")
    for label, query in (
        ("first list page", ArticleQuery(limit=50)),
        ("list by published time", ArticleQuery(limit=50, sort="published")),
        ("list of one channel", ArticleQuery(limit=50, channel_path="news")),
        ("list page 1000 (offset 49,950)", ArticleQuery(limit=50, offset=min(49_950, max(0, n - 50)))),
    ):
        times = [timed(lambda q=query: store.list_articles(q))[0] for _ in range(max(args.runs, 7))]
        p(out, f"{label}, median of {len(times)}: {fmt_ms(median(times))}")
        if label == "first list page":
            list_median = median(times)

    # -- search ------------------------------------------------------------------------
    p(out)
    p(out, f"== Search (Store.search(q, limit=50), median of {args.runs}; baseline: substring scan of the "
           f"articles table, median of {args.scan_runs}) ==")
    p(out, "matching = articles containing the query (counted while generating); hits = rows on the page, index/scan;")
    p(out, "pairs-only = a word whose character pairs are all frequent but which itself is rare: every article")
    p(out, "the pair index proposes must be checked against its text (the worst case of the design)")
    for q in queries:
        ids: list[int] = []
        for _ in range(args.runs):
            ms, cpu_ms, ids = timed_cpu(lambda q=q: index_search(store, q.text))
            q.index_ms.append(ms)
            q.index_cpu_ms.append(cpu_ms)
        scan_ids: list[int] = []
        for _ in range(args.scan_runs):
            ms, scan_ids = timed(lambda q=q: scan_search(store, q.text))
            q.scan_ms.append(ms)
        q.index_hits, q.scan_hits, q.same = len(ids), len(scan_ids), ids == scan_ids
        p(out, search_line(q))

    # -- index build ---------------------------------------------------------------------
    sizes_before, indexes = measure_sizes(store, db_path)
    build = "not run (database reused)"
    if rebuild:
        p(out)
        p(out, "== Index build (Store.rebuild_search_index over the whole database) ==")
        build_ms, build_cpu_ms, count = timed_cpu(store.rebuild_search_index)
        p(out, f"index build time: {build_ms / 1000:,.1f} s ({count:,} articles, "
               f"{count / (build_ms / 1000):,.0f} articles/s; CPU time of this process {build_cpu_ms / 1000:,.1f} s)")
        build = f"{build_ms / 1000:10.1f} s (CPU {build_cpu_ms / 1000:.1f} s)"
        for q in queries:
            q.rebuilt_ms = [timed(lambda q=q: index_search(store, q.text))[0] for _ in range(args.runs)]
        p(out, "search after the rebuild (index merged by 'optimize'), median of "
               f"{args.runs}: " + ", ".join(f"{q.text} {median(q.rebuilt_ms):.1f}" for q in queries) + " (ms)")
    else:
        for q in queries:
            q.rebuilt_ms = q.index_ms  # no second measurement: the summary shows the one made

    # -- sizes -------------------------------------------------------------------------
    sizes_after, indexes = measure_sizes(store, db_path)
    p(out)
    p(out, "== Sizes (SQLite dbstat) ==")
    p(out, f"raw text size: {fmt_bytes(raw_bytes)} (UTF-8 of title, subtitle, summary, body and tags)")
    ratios = {}
    for label, sizes in (("after inserts", sizes_before), ("after rebuild", sizes_after)) if rebuild else (
            ("as built", sizes_after),):
        # Every table and index that exists only for search (the FTS tables' shadow tables too).
        index_bytes = sizes.prefixed("search_")
        ratios[label] = index_bytes / raw_bytes
        parts = ", ".join(
            f"{name} {fmt_bytes(size)}" for name, size in sorted(sizes.by_name.items()) if name.startswith("search_")
        )
        p(out, f"index size {label}: {fmt_bytes(index_bytes)} ({parts}); index/text {ratios[label]:.2f}x")
    articles_own, articles_all = sizes_after.table_with_indexes("articles", indexes.get("articles", []))
    revisions_own, revisions_all = sizes_after.table_with_indexes("revisions", indexes.get("revisions", []))
    p(out, f"articles table size: {fmt_bytes(articles_own)} ({fmt_bytes(articles_all)} with its indexes)")
    p(out, f"revisions table size: {fmt_bytes(revisions_own)} ({fmt_bytes(revisions_all)} with its indexes)")
    p(out, f"whole file size: {fmt_bytes(sizes_after.file_bytes)} (after the rebuild; {fmt_bytes(sizes_after.free_bytes)} "
           f"of it free pages; {fmt_bytes(sizes_before.file_bytes)} before it); file/text {sizes_after.file_bytes / raw_bytes:.2f}x")

    # -- summary -----------------------------------------------------------------------
    p(out)
    p(out, f"== Summary: targets of issue 2 (search median <= {SEARCH_TARGET_MS:.0f} ms; index <= {INDEX_TARGET_RATIO}x text) ==")
    p(out, f"({load_average()} at the end; the CPU figures show what contention for the cores cost)")
    p(out, f"insert throughput        {insert}")
    p(out, f"first list page          {list_median:10.1f} ms (first call {first_ms:.1f} ms)")
    p(out, f"index build              {build}")
    failures = 0
    for q in queries:
        worst = max(median(q.index_ms), median(q.rebuilt_ms))
        ok = worst <= SEARCH_TARGET_MS
        failures += not ok
        after = f"(after rebuild {median(q.rebuilt_ms):.1f} ms) " if rebuild else ""
        p(out, f"search {q.group:<6} {q.label:<10} {q.text:<10} {median(q.index_ms):8.1f} ms "
               f"{after}{'<=' if ok else '>'} {SEARCH_TARGET_MS:.0f} ms  {verdict(ok)}")
    for label, ratio in ratios.items():
        ok = ratio <= INDEX_TARGET_RATIO
        failures += not ok
        p(out, f"index/text {label:<14} {ratio:8.2f}x {'<=' if ok else '>'} {INDEX_TARGET_RATIO}x  {verdict(ok)}")
    mismatched = [q.text for q in queries if not q.same]
    p(out, "index results equal the scan's: " + ("yes, for every query" if not mismatched else f"NO for {', '.join(mismatched)}"))
    p(out, f"overall: {verdict(failures == 0)} ({failures} target(s) missed)")
    db.dispose()


def search_line(q: BenchQuery) -> str:
    index_ms, scan_ms = median(q.index_ms), median(q.scan_ms)
    ratio = scan_ms / index_ms if index_ms > 0 else float("inf")
    return (
        f"search {q.group:<6} {q.label:<10} {q.text:<10} matching {q.matching:>7,}  hits {q.index_hits:>2}/{q.scan_hits:>2} "
        f"{'same' if q.same else 'DIFFERENT'}  index {fmt_ms(index_ms):>9} (cpu {fmt_ms(median(q.index_cpu_ms))}, "
        f"first {fmt_ms(q.index_ms[0])})  "
        f"scan {fmt_ms(scan_ms):>9}  scan/index {ratio:,.1f}x"
    )


def mean_int(values: list[int]) -> str:
    return f"{statistics.fmean(values):,.0f}" if values else "?"


if __name__ == "__main__":
    sys.exit(main())
