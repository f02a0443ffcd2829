"""The generators benchmark's Hugo site (see generators_bench.py): made here from the same articles.

One single (article) template and one list template. Sections are our channels (a folder per
channel path, with an ``_index.md``), listed 20 a page as our channel lists, a parent channel
listing its children's articles (``.RegularPagesRecursive``); the home page shows the newest 8
of each top channel, as ours. Taxonomies are off (``disableKinds``), one RSS feed (the home's),
the sitemap as Hugo makes it; photos are copied from ``static/images``. URLs end in ``.html``
(``uglyURLs``) like ours.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from bench_articles import ARTICLE_CHANNELS, CHANNELS, SITE_TZ
from bench_common import p

HUGO_CONFIG = """\
baseURL = "http://www.shanxidayuan.com/"
title = "大院网-山西大院资讯网"
languageCode = "zh-cn"
defaultContentLanguage = "zh"
timeZone = "Asia/Shanghai"
uglyURLs = true
relativeURLs = true
paginate = 20
rssLimit = 20
disableKinds = ["taxonomy", "term"]
[outputs]
home = ["HTML", "RSS"]
section = ["HTML"]
page = ["HTML"]
"""

SINGLE = """\
<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title>
<meta name="description" content="{{ .Params.summary }}"></head>
<body><nav><a href="{{ site.Home.RelPermalink }}">首页</a>
{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<p class="crumbs">{{ with .Parent }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>
<article><h1>{{ .Title }}</h1>
<p class="meta">{{ .Date.Format "2006-01-02 15:04" }} 来源：{{ .Params.source }} 作者：{{ .Params.author }}</p>
{{ .Content }}
<p class="tags">{{ range .Params.tags }}<span>{{ . }}</span> {{ end }}</p></article>
<p>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</p>
</body></html>
"""

LIST = """\
<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title></head>
<body><nav><a href="{{ site.Home.RelPermalink }}">首页</a>
{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
{{ if .IsHome }}
{{ range site.Sections }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><ul>
{{ range first 8 .RegularPagesRecursive.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul></section>{{ end }}
{{ else }}
{{ $pages := .Paginate .RegularPagesRecursive.ByDate.Reverse }}<h1>{{ .Title }}</h1><ul>
{{ range $pages.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}
<p>{{ .Params.summary }}</p></li>{{ end }}</ul>
<p>{{ with $pages.Prev }}<a href="{{ .URL }}">上一页</a>{{ end }} {{ $pages.PageNumber }}/{{ $pages.TotalPages }}
{{ with $pages.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}</p>
{{ end }}
</body></html>
"""


def ensure_hugo(out) -> str | None:
    """Hugo's executable; installed from Debian (``apt-get install -y hugo``) when missing and we are root."""
    found = shutil.which("hugo")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        p(out, "Hugo: not installed (apt-get install -y hugo as root); no Hugo figures")
        return None
    p(out, "Hugo: installing (apt-get install -y hugo) ...")
    result = subprocess.run(["apt-get", "install", "-y", "hugo"], capture_output=True, text=True)
    if result.returncode != 0 or not shutil.which("hugo"):
        p(out, f"Hugo: apt-get failed ({result.returncode}); no Hugo figures")
        return None
    return shutil.which("hugo")


def hugo_version(hugo: str) -> str:
    result = subprocess.run([hugo, "version"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown version"


def front_matter(article) -> str:
    """TOML front matter with the article's metadata (JSON strings are TOML basic strings)."""
    v = article.values
    date = v["published_at"].astimezone(SITE_TZ).isoformat()
    fields = {"title": v["title"], "slug": str(v["number"]), "author": v["author"], "source": v["source"],
              "summary": v["summary"]}
    lines = [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items()]
    lines += [f"date = {date}", f"tags = {json.dumps(v['tags'], ensure_ascii=False)}"]
    return "+++\n" + "\n".join(lines) + "\n+++\n"


def write_hugo_site(corpus, site: Path, n: int) -> Path:
    """The Hugo site for the first ``n`` articles of ``corpus`` (photos hard-linked into ``static``)."""
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(SINGLE, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(LIST, encoding="utf-8")
    content, images = site / "content", site / "static" / "images"
    images.mkdir(parents=True)
    for path, name, _used in CHANNELS:
        (content / path).mkdir(parents=True, exist_ok=True)
        (content / path / "_index.md").write_text(f"+++\ntitle = {json.dumps(name, ensure_ascii=False)}\n+++\n",
                                                  encoding="utf-8")
    channel_path = {name: path for path, name in ARTICLE_CHANNELS}
    for article, image in zip(corpus.articles[:n], corpus.image_names[:n], strict=True):
        os.link(corpus.images / image, images / image)
        body = article.body(f"![{article.caption}](/images/{image})")  # the same Markdown as ours and Pelican's
        folder = content / channel_path[article.channel_name]
        (folder / f"{article.values['number']}.md").write_text(front_matter(article) + body, encoding="utf-8")
    return site
