"""Write synthetic article files of the seed's shape under var/bench/corpus/ (once; reused).

Files are sharded 1,000 to a folder (`000/` … `099/`), so the 1,000-file set is the first
shard and the 10,000-file set the first ten. Text is varied CJK built from a vocabulary, one
paragraph in four carries hostile markup (script, event handlers, javascript: links, iframes,
inline styles), and every file has a dateline, a proxied lead image with a caption, a date and
about twenty paragraphs: the work a real VOA file asks of the parser and the sanitizer.

    python bench/generate.py [COUNT]     # default 100000; existing shards are kept
"""

import random
import sys
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "var" / "bench" / "corpus"
SHARD = 1000
WORDS = (  # noqa: SIM905 (a readable block of words)
    "人工智能 峰会 巴黎 华盛顿 北京 美国 中国 欧洲 政府 官员 科技 公司 市场 经济 贸易 关税 "
    "选举 国会 总统 外交 部长 安全 军事 能源 气候 石油 天然气 投资 银行 利率 通胀 芯片 半导体 "
    "大语言模型 开源 数据 隐私 监管 网络 媒体 记者 报道 消息 分析 人士 表示 指出 认为 宣布 "
    "会议 谈判 协议 合作 竞争 地缘政治 领导 全球 治理 发展 政策 改革 社会 人权 法院 法律 "
    "台湾 香港 日本 韩国 印度 俄罗斯 乌克兰 中东 非洲 拉丁美洲 学生 大学 研究 医院 疫情"
).split()
DATELINES = ("华盛顿 —", "北京 —", "台北 —", "香港 —", "巴黎 —", "东京 —", "首尔 —", "伦敦 —")
HOSTILE = (
    '<script>alert("x")</script>',
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">点击这里</a>',
    '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe>',
    '<span style="position:fixed;top:0">覆盖</span>',
    '<a href="https://www.voachinese.com/a/related.html" onclick="steal()">相关报道</a>',
    "<style>body{display:none}</style>",
    '<object data="data:text/html;base64,PHNjcmlwdD4="></object>',
)
PUNCTUATION = "，，，、。"


def sentence(rng, words):
    parts = [rng.choice(WORDS) for _ in range(words)]
    text = "".join(w + (rng.choice(PUNCTUATION) if rng.random() < 0.25 else "") for w in parts)
    return text.rstrip("，、") + "。"


def paragraph(rng):
    text = "".join(sentence(rng, rng.randint(8, 18)) for _ in range(rng.randint(2, 4)))
    if rng.random() < 0.25:
        cut = rng.randrange(len(text))
        text = text[:cut] + rng.choice(HOSTILE) + text[cut:]
    if rng.random() < 0.1:
        return f'<p style="color: #333;"><span style="font-size: 16px;">{text}</span></p>'
    return f"<p>{text}</p>"


def article(index):
    """The text of synthetic file number `index` (deterministic)."""
    rng = random.Random(index)
    published = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=37 * index)
    captured = published + timedelta(minutes=rng.randint(5, 30))
    title = sentence(rng, rng.randint(4, 8)).rstrip("。")
    slug = f"bench-{index}-{rng.randint(1000, 9999)}"
    url = f"https://www.voachinese.com/a/{slug}/{7_000_000 + index}.html"
    image = f"gdb.voanews.com/{index:08x}-bench_w900.jpg"
    body = "".join(paragraph(rng) for _ in range(rng.randint(18, 22)))
    return (
        f"<!--{int(captured.timestamp() * 1000)}-->\n[{title}]({url})\n------\n\n"
        f"<div><i>{format_datetime(published, usegmt=True)}</i></div>"
        f'<img src="https://images.weserv.nl?url={image}" width="100%">'
        f'<div><small style="color: #999;">{sentence(rng, 6)}</small></div>'
        f"{rng.choice(DATELINES)} {body}\n"
    )


def shard_dirs(count):
    """The shard folders that hold the first `count` files."""
    return [ROOT / f"{n:03d}" for n in range((count + SHARD - 1) // SHARD)]


def generate(count):
    for number, folder in enumerate(shard_dirs(count)):
        done = folder / ".complete"
        if done.exists():
            continue
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(number * SHARD, (number + 1) * SHARD):
            (folder / f"{index:06d}.txt").write_text(article(index), encoding="utf-8")
        done.touch()


if __name__ == "__main__":
    generate(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
