"""Build a large, realistic tidings store quickly, through the store API (no fetching).

    python -m benchmarks.make_store --items 250000 --home /tmp/big   # then TIDINGS_HOME=/tmp/big
    python -m benchmarks.make_store --items 20000 --db /tmp/t.db --seed 7

Or from code (the search benchmark, UI tests of big lists, other benchmarks):

    from benchmarks.make_store import build
    built = build(Path("/tmp/t.db"), items=50_000)

Half the items are English articles with full content, a quarter Chinese, the rest English
summaries without content and Japanese. Words follow a Zipf law over a vocabulary of common
words, news words (the feed farm's among them), names with diacritics and a long tail of made-up
names, so a query's hits range from a handful to most items, as in real feeds. About 60% of
items are read and 1% bookmarked; feeds carry tags. The same seed gives the same store.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from benchmarks.common import FEEDFARM
from reader.models import ParsedFeed, ParsedItem
from reader.paths import Paths
from reader.store.db import Store

NOW = 1_796_000_000  # a fixed "now" (2026-11-29) so the same seed gives the same store


def _words(text: str) -> list[str]:
    return text.split()


EN_COMMON = _words("""
the of and to a in is that for on it with as was at by he be this from have are or an but
not they his has were had their which its said who been after more one also all new two
first when will about than up over into other there can out years year last people would
some time could only government city week state police minister three what most may while
before under million since public against during now where court between told former health
including four national report workers president percent high group second local found back
being says such through plan country still down part well both world today school water days
children family officials members early next month months number company service million
support security news announced several decision money team season home power likely
""")
EN_NEWS = _words("""
election parliament budget tariff inflation vaccine hospital climate drought storm flood
wildfire earthquake harbour railway airport bridge tunnel museum orchestra festival
university research telescope satellite battery reactor pipeline refinery startup merger
strike protest referendum senate coalition opposition ceasefire embassy treaty sanctions
summit negotiations pension housing mortgage rent unemployment wages exports imports
shipping freight container harvest wheat coffee cocoa fisheries forest river glacier ocean
quantum robotics algorithm software semiconductor chip smartphone broadband privacy hackers
ransomware football cricket tennis marathon olympics league champion stadium coach transfer
album premiere gallery novel theatre heritage cathedral archaeology fossil dinosaur vaccine
malaria measles outbreak surgeon nurses pharmacy prescription diabetes cancer therapy
""")
EN_NAMES = _words("""
café naïve résumé São Paulo Zürich Kraków Málaga Gdańsk Øresund Ærø Québec Montréal Bogotá
Medellín Reykjavík Düsseldorf Köln Malmö Tromsø Brontë Dvořák Chopin Curaçao Ñandú Señor
Ciudad Juárez Nicolás José García Müller Schröder Łódź Poznań
""")
ZH_CHARS = """的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动
同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量
都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内
数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党
程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根
论运农指几九区强放决西被干做必战先回则任取据处理府研质城市禁毒示范委员会警察医院学校记者经济市场""".replace(
    "\n", ""
)
ZH_WORDS = _words("""
中国 全国 国家 政府 经济 发展 市场 企业 社会 工作 城市 农村 改革 创新 科技 教育 医疗 卫生 环境 能源 交通 铁路 机场 港口 银行 金融 投资 贸易 出口 进口 价格
消费 就业 收入 住房 人口 禁毒 戒毒 缉毒 公安 警方 法院 检察 安全 防疫 疫苗 医院 学校 大学 学生 老师 文化 旅游 体育 足球 比赛 冠军 天气 暴雨 台风 地震 干旱
洪水 森林 河流 水库 农业 粮食 水稻 小麦 茶叶 楠竹 园林 社区 群众 干部 会议 委员会 代表 主席 部长 市长 省长 记者 报道 消息 新闻 网络 手机 芯片 人工智能 数据
平台 电商 快递 航天 卫星 火箭 月球 探测 研究 科学家 实验 技术 专利 标准 质量 品牌 项目 工程 建设 示范 城市群 高铁 地铁 公交 汽车 电动车 电池 光伏 风电 核电
碳排放 生态 保护 污染 治理 污水 检测 北京 上海 广州 深圳 武汉 咸宁 成都 重庆 杭州 南京 西安 香港 台湾 湖北 广东 浙江 江苏 四川
""")
JA_WORDS = _words("""
ニュース 東京 大阪 京都 政府 首相 選挙 経済 円安 株価 地震 台風 新幹線 会議 会社 発表 調査 研究 大学 学校 病院 ワクチン 野球 サッカー 優勝 さくら 桜 祭り
観光 旅行 天気 気温 電車 ロボット スマートフォン インターネット データ 人工知能 エネルギー 原発 環境 森林 ラーメン すし
""")
AUTHORS = """Anna Lee|José Álvarez|Zoë Brontë|Kenji Sato|Priya Nair|Tom O'Brien|Łukasz Nowak|
王小明|李华|张伟|山田太郎|Desk Reporter|Agence Wire|Søren Kierkegaard|María José Peña""".replace(
    "\n", ""
).split("|")
TAGS = ["news", "world", "tech", "science", "business", "sport", "culture", "china", "japan"]
FEED_NAMES = ["Daily", "Wire", "Herald", "Tribune", "Observer", "Review", "Dispatch", "Post"]


def _farm_words() -> tuple[list[str], list[str]]:
    """The feed farm's English words and Chinese sentences, when ../shared has it."""
    if not FEEDFARM.exists():
        return [], []
    spec = importlib.util.spec_from_file_location("feedfarm", FEEDFARM)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.EN_WORDS), list(module.ZH_SENTENCES)


def _zipf(n: int, s: float = 1.05) -> list[float]:
    """Cumulative Zipf weights for ranks 1..n."""
    return list(itertools.accumulate(1 / (r**s) for r in range(1, n + 1)))


@dataclass
class _Language:
    """A vocabulary with Zipf weights and a pool of sentences drawn from it."""

    words: list[str]
    joiner: str
    stop: str
    sentences: list[str]

    @classmethod
    def make(cls, rng: random.Random, words: list[str], joiner: str, stop: str,
             pool: int, length: tuple[int, int]) -> _Language:  # fmt: skip
        weights = _zipf(len(words))
        lang = cls(words, joiner, stop, [])
        for _ in range(pool):
            chosen = rng.choices(words, cum_weights=weights, k=rng.randint(*length))
            text = joiner.join(chosen)
            lang.sentences.append(text[:1].upper() + text[1:] + stop)
        return lang

    def text(self, rng: random.Random, sentences: int) -> str:
        return self.joiner.join(rng.choices(self.sentences, k=sentences)) if sentences else ""


def _tail(rng: random.Random, count: int, make: Callable[[], str]) -> list[str]:
    return list(dict.fromkeys(make() for _ in range(count)))


def _languages(seed: int) -> dict[str, _Language]:
    rng = random.Random(seed)
    farm_en, farm_zh = _farm_words()
    syllables = [a + b for a in "bdfgklmnprstvz" for b in ["a", "e", "i", "o", "u", "ar", "en"]]
    en_tail = _tail(rng, 12000, lambda: "".join(rng.choices(syllables, k=rng.randint(2, 4))))
    en_words = list(dict.fromkeys(EN_COMMON + EN_NEWS + farm_en + EN_NAMES)) + en_tail
    zh_tail = _tail(rng, 6000, lambda: "".join(rng.choices(ZH_CHARS, k=2)))
    zh_words = list(dict.fromkeys(["的", "了", "在", "是", "和", *ZH_WORDS])) + zh_tail
    zh = _Language.make(rng, zh_words, "", "。", 30000, (6, 16))
    zh.sentences += farm_zh * 20  # the sample's register: 禁毒, 戒毒, 示范城市 ...
    return {
        "en": _Language.make(rng, en_words, " ", ".", 60000, (8, 24)),
        "zh": zh,
        "ja": _Language.make(rng, JA_WORDS + zh_tail[:500], "", "。", 8000, (5, 12)),
    }


def _kind(feed: int) -> str:
    """What a feed publishes: 50% English articles, 25% Chinese, 15% English summaries only,
    10% Japanese."""
    return ("en", "en", "zh", "en-short", "en", "en", "zh", "ja")[feed % 8] if feed % 20 else "ja"


def _item(rng: random.Random, lang: _Language, kind: str, key: str, when: int) -> ParsedItem:
    if kind == "en-short" or kind == "en":
        title = " ".join(rng.choices(lang.words[:2000], k=rng.randint(6, 12))).capitalize()
    else:
        title = rng.choice(lang.sentences)[: rng.randint(10, 24)]
    summary = lang.text(rng, rng.randint(1, 2))
    paragraphs = 0 if kind == "en-short" else rng.randint(2, 8)
    content = "".join(
        f"<p>{escape(lang.text(rng, rng.randint(2, 5)))}</p>" for _ in range(paragraphs)
    )
    return ParsedItem(key=key, title=title, link=f"https://example.org/{key}",
                      author=rng.choice(AUTHORS), published=when, updated=None,
                      summary=escape(summary[:300]), content=content)  # fmt: skip


@dataclass(frozen=True)
class Built:
    """What `build` made."""

    path: Path
    items: int
    feeds: int
    seconds: float
    bytes: int


def _feed_items(
    rng: random.Random, langs: dict[str, _Language], feed: int, count: int
) -> list[ParsedItem]:
    kind = _kind(feed)
    lang = langs[kind.split("-")[0]]
    dates = sorted((NOW - rng.randint(0, 730 * 86400) for _ in range(count)), reverse=True)
    return [_item(rng, lang, kind, f"f{feed}-{n}", when) for n, when in enumerate(dates)]


def _feed_title(rng: random.Random, feed: int) -> str:
    kind = _kind(feed)
    if kind == "zh":
        return f"{rng.choice(['新华', '人民', '环球', '咸宁'])}{rng.choice(['视点', '日报', '新闻'])} {feed}"
    if kind == "ja":
        return f"{rng.choice(['東京', '関西', 'NHK'])}ニュース {feed}"
    return f"The {rng.choice(EN_COMMON[40:120]).capitalize()} {rng.choice(FEED_NAMES)} {feed}"


def build(db: Path, items: int = 250_000, *, feeds: int | None = None, seed: int = 5,
          index: bool = True, log: Callable[[str], None] | None = None) -> Built:  # fmt: skip
    """Create the store `db` (which must not exist) with `items` items in `feeds` feeds
    (default: one per 800 items, 20 to 400), indexed for search unless `index` is False."""
    started = time.perf_counter()
    say = log or (lambda _msg: None)
    if db.exists():
        raise SystemExit(f"{db} exists; give a new path")
    feeds = feeds or max(20, min(400, items // 800))
    langs = _languages(seed)
    rng = random.Random(seed + 1)
    per_feed = [items // feeds + (f < items % feeds) for f in range(feeds)]
    with Store.open(db) as store:
        ids: list[int] = []
        for f in range(feeds):
            tags = rng.sample(TAGS, rng.randint(1, 2))
            ids.append(
                store.add_feed(
                    f"https://feeds.example.org/{f}.xml", title=_feed_title(rng, f), tags=tags
                )[0].id
            )
        for start in range(0, feeds, 16):
            with store.batch():
                for f in range(start, min(start + 16, feeds)):
                    parsed = _feed_items(rng, langs, f, per_feed[f])
                    if not index:  # imported items are queued for the index, not indexed
                        store.import_items(ids[f], parsed, now=NOW)
                        continue
                    store.store_parsed(ids[f], ParsedFeed(_feed_title(random.Random(f), f), "", tuple(parsed), "rss20"),
                                       max_items=10**9, now=NOW)  # fmt: skip
            say(f"wrote {sum(per_feed[: start + 16])} items")
        _mark(store, rng)
        if index:  # a batch indexes what it stored: this is only a check that nothing waits
            say(f"indexed {store.index_pending(chunk=5000)} more items")
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return Built(db, items, feeds, time.perf_counter() - started, size)


def _mark(store: Store, rng: random.Random) -> None:
    """About 60% of items read and 1% bookmarked."""
    all_ids = list(store.item_ids())
    store.set_read([i for i in all_ids if rng.random() < 0.6])
    with store.batch():
        for i in all_ids:
            if rng.random() < 0.01:
                store.set_bookmarked(i)


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--items", type=int, default=250_000)
    ap.add_argument("--feeds", type=int, default=None)
    ap.add_argument("--seed", type=int, default=5)
    where = ap.add_mutually_exclusive_group(required=True)
    where.add_argument("--home", type=Path, help="a TIDINGS_HOME (the store goes in DIR/data)")
    where.add_argument("--db", type=Path, help="the database file itself")
    ap.add_argument("--no-index", action="store_true", help="leave items queued for the index")
    args = ap.parse_args(argv)
    db = args.db or Paths(args.home / "config", args.home / "data", args.home / "cache").db_file
    built = build(db, args.items, feeds=args.feeds, seed=args.seed, index=not args.no_index,
                  log=lambda m: print(m, file=sys.stderr))  # fmt: skip
    print(f"{built.path}: {built.items} items in {built.feeds} feeds, "
          f"{built.bytes / 1e6:.0f} MB, {built.seconds:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
