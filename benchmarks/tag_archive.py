"""A tagged archive whose tags belong to the text, for the tag precision benchmark.

The sample archive holds one article (4709), and the export benchmark's synthetic articles get
1–3 tags drawn at random, unrelated to their word salad: precision on them would measure chance.
Here each article is written about 1–3 topics (one of the portal's 20 tag words each) with
that topic's words mixed into the same word salad (bench_articles.Writer), the tag word itself
only sometimes, and now and then a sentence about another topic (noise). Deterministic for a
seed. A proxy for a real archive, not a replacement: the figure says how well the ranking
picks the article's topics out of mixed text, not how a newsroom tags.
"""

from __future__ import annotations

from bench_articles import TAG_WORDS, Writer

TOPIC_WORDS = {
    "时政": ("常委会", "会议精神", "政府工作报告", "人大代表", "政协委员", "调研"),
    "民生": ("养老", "医保", "低保", "保障房", "供暖", "民生实事"),
    "防控": ("疫情", "核酸检测", "隔离", "卡口", "防疫", "疫苗"),
    "财经": ("经济运行", "消费", "投资", "金融", "税收", "外贸"),
    "教育": ("学校", "学生", "教师", "高考", "课堂", "招生"),
    "科技": ("研发", "专利", "实验室", "数字化", "人工智能", "芯片"),
    "文旅": ("景区", "游客", "旅游", "非遗", "古城", "博物馆"),
    "体育": ("比赛", "运动员", "冠军", "马拉松", "全运会", "健身"),
    "法治": ("法院", "检察院", "案件", "执法", "判决", "普法"),
    "三农": ("农业", "农民", "种植", "粮食", "乡村振兴", "合作社"),
    "环保": ("生态", "污染", "空气质量", "植树", "减排", "河长制"),
    "交通": ("高速", "公路", "铁路", "公交", "出行", "通车"),
    "健康": ("医院", "医生", "患者", "义诊", "体检", "疾病"),
    "党建": ("党员", "党支部", "党课", "组织生活", "主题教育", "先锋"),
    "招商": ("签约", "企业", "落地", "营商环境", "园区", "招商引资"),
    "楼市": ("房价", "楼盘", "住房", "房地产", "商品房", "公积金"),
    "就业": ("招聘", "岗位", "求职", "毕业生", "创业", "技能培训"),
    "气象": ("降雨", "气温", "寒潮", "预警", "天气", "降雪"),
    "消防": ("火灾", "消防员", "隐患", "演练", "灭火", "救援"),
    "社会": ("志愿者", "公益", "邻里", "市民", "文明", "慈善"),
}
assert set(TOPIC_WORDS) == set(TAG_WORDS)


def topical_article(seed: int, index: int) -> dict:
    """One article's store values: title, summary and ~2,000 characters of body about its tags."""
    w = Writer(seed, index)
    rng = w.rng
    tags = rng.sample(TAG_WORDS, rng.choices((1, 2, 3), weights=(3, 4, 3))[0])
    mentions_tag = {tag: rng.random() < 0.6 for tag in tags}  # else only its topic's words appear
    others = [tag for tag in TAG_WORDS if tag not in tags]

    def topical(tag: str) -> str:
        words = list(rng.sample(TOPIC_WORDS[tag], 2))
        if mentions_tag.get(tag) and rng.random() < 0.4:
            words.append(tag)
        return w.phrase(1, 3) + "，".join(words) + w.phrase(1, 3) + "。"

    paragraphs = []
    for paragraph in w.paragraphs(1900):
        extra = [topical(rng.choice(tags)) for _ in range(rng.randint(1, 2))]
        if rng.random() < 0.2:  # a passing mention of another topic
            extra.append(topical(rng.choice(others)))
        paragraphs.append(paragraph + "".join(extra))
    lead = tags[0]
    title_word = lead if mentions_tag[lead] and rng.random() < 0.5 else rng.choice(TOPIC_WORDS[lead])
    return {
        "title": (w.phrase(2, 4) + title_word + w.phrase(1, 3))[:26],
        "summary": w.sentence() + topical(lead),
        "body": "\n\n".join(paragraphs) + "\n",
        "tags": tags,
        "status": "published",
        "number": 20_000 + index,
    }
