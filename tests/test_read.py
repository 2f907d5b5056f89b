"""Tests for kg.ingest.read: decoding, boilerplate, metadata, t2s + pinyin with exact offsets, seeds."""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from opencc import OpenCC

from kg.ingest.decode import InputError, decode_bytes
from kg.ingest.read import clean_text, read_article

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
T2S = OpenCC("t2s")


def assert_offsets(raw: str, text: str, offsets: list[int]) -> None:
    assert len(offsets) == len(text)
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)
    for ch, off in zip(text, offsets):
        src = raw[off]
        if ch == "\n":
            assert src == "\n"
        elif ch == " ":
            assert src.isspace()
        else:
            assert ch == src or ch == T2S.convert(src) or src != T2S.convert(src), (ch, src)


# ------------------------------------------------------------------ decoding

SIMPLIFIED = "建始县位于湖北省西南部,是武陵山连片特困地区内的国家扶贫开发工作重点县。"
TRADITIONAL = "貴州是全國脫貧攻堅的主戰場,一直以來,貴州堅持以脫貧攻堅統攬經濟社會發展全局。"


@pytest.mark.parametrize("text, enc, expected", [
    (SIMPLIFIED, "utf-8", "utf-8"),
    (TRADITIONAL, "utf-8", "utf-8"),
    (SIMPLIFIED, "gb18030", "gb18030"),
    (TRADITIONAL, "gb18030", "gb18030"),
    (TRADITIONAL, "big5", "big5"),
    ("新聞發布會現場。李宇 攝", "big5", "big5"),
    ("黨建", "big5", "big5"),
    ("党建", "gb18030", "gb18030"),
    ("中國", "big5", "big5"),
])
def test_decode(text, enc, expected):
    got, name = decode_bytes(text.encode(enc), "x.txt")
    assert got == text
    assert name == expected


def test_decode_strips_bom():
    got, name = decode_bytes(b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"))
    assert got == SIMPLIFIED and name == "utf-8"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n\t \r\n", "empty"),
    ("   ".encode("utf-8"), "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", "binary"),
    (b"just some English text\n", "no Chinese"),
    (bytes([0x81, 0x30, 0xff, 0xfe, 0x80]) * 3, "undecodable"),
])
def test_decode_refuses(data, reason):
    with pytest.raises(InputError) as exc:
        decode_bytes(data, "bad.txt")
    assert reason in exc.value.reason
    assert exc.value.path == "bad.txt"
    assert str(exc.value).startswith("bad.txt: ")


def test_read_article_errors(tmp_path):
    with pytest.raises(InputError, match="not found"):
        read_article(tmp_path / "missing.txt")
    with pytest.raises(InputError):
        read_article(tmp_path)
    bin_file = tmp_path / "b.txt"
    bin_file.write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(InputError, match="binary"):
        read_article(bin_file)


def test_read_article_big5(tmp_path):
    f = tmp_path / "tw_01.txt"
    f.write_bytes(("脫貧攻堅見成效\n" + TRADITIONAL + "\n").encode("big5"))
    a = read_article(f)
    assert a.id == "tw_01" and a.encoding == "big5"
    assert a.title == "脱贫攻坚见成效"
    assert "贵州是全国脱贫攻坚的主战场" in a.text
    assert "traditional" in a.flags
    assert_offsets(a.raw, a.text, a.offsets)


# ------------------------------------------------------------------ boilerplate

BODY = "近年来,某县坚持以党建引领脱贫攻坚,选派第一书记120名驻村帮扶,贫困发生率明显下降。"


@pytest.mark.parametrize("line", [
    "首 页 >> 精准扶贫 >> 扶贫创新 >> 正文",
    "您当前的位置:example.com > 新闻中心",
    "当前位置:首页 > 要闻 > 正文",
    "分享到:",
    "蜀ICP备13011412号 未经授权 不得复制或建立镜像 违者必究",
    "京ICP证040089号",
    "Copyright © 2015 某某网 版权所有",
    "网站简介 | 版权声明 | 投稿须知 | 联系电话:0827-2133573",
    "责编:刘某",
    "编辑:王某某",
    "(责任编辑 张某)",
    "会议现场。记者 王某 摄",
    "某某日报社主办",
    "中共某省委宣传部委托某某通讯社主办",
    "http://www.example.com/news/1.html",
    "某市某区某某路26号 邮编:636000",
    "上一篇:某县召开推进会",
    "阅读次数:125",
])
def test_boilerplate_line_dropped(line):
    text, offsets, meta = clean_text(f"某县抓党建促脱贫见实效\n{BODY}\n{line}\n{BODY}")
    assert line not in text
    assert text.count(BODY) == 2
    assert meta["dropped_lines"] == 1


@pytest.mark.parametrize("line", [
    "坚持党建引领,增强脱贫力量",
    "一、强化组织保障",
    "选好配强村党组织书记",
    "摄影爱好者协会成立扶贫小组,深入贫困村开展活动。",
    "他们用镜头记录了乡村变化,对现场进行拍摄",
])
def test_content_line_kept(line):
    text, _, meta = clean_text(f"某县抓党建促脱贫见实效\n{BODY}\n{line}\n{BODY}")
    assert line in text.split("\n")
    assert meta["dropped_lines"] == 0


def test_related_list_and_footer_dropped():
    raw = (f"标题在这里是一个标题\n{BODY}\n编辑:余某\n相关新闻\n"
           "某区某某案告破   2015-09-14 12:06:20\n某区法院开展廉政文化宣传周活动   2015-09-14 11:59:59\n"
           "  \n某某网简介 | 版权声明 | 投稿须知\n")
    text, _, meta = clean_text(raw)
    assert text == f"标题在这里是一个标题\n{BODY}"
    assert meta["dropped_lines"] == 5


def test_print_button_stripped_from_date_line():
    text, offsets, meta = clean_text(f"某县抓党建促脱贫见实效\n发布日期:2018-04-28          打印本页\n{BODY}")
    assert "打印本页" not in text and "发布日期" not in text
    assert meta["date"] == "2018-04-28"


# ------------------------------------------------------------------ metadata

@pytest.mark.parametrize("header, field, value", [
    ("发布日期:2018-04-28", "date", "2018-04-28"),
    ("2017-12-25 09:14 作者:张某某 来源:某县委组织部", "date", "2017-12-25"),
    ("2017-12-25 09:14 作者:张某某 来源:某县委组织部", "author", "张某某"),
    ("2017-12-25 09:14 作者:张某某 来源:某县委组织部", "source", "某县委组织部"),
    ("example.com 】 【 2015-09-14 12:05 】 【来源: 某某日报】", "date", "2015-09-14"),
    ("example.com 】 【 2015-09-14 12:05 】 【来源: 某某日报】", "source", "某某日报"),
    ("来源: 某某日报网-某某日报 阅读:", "source", "某某日报"),
    ("来源:新华网 阅读:3", "source", "新华网"),
    ("2019年3月5日 来源:人民日报", "date", "2019-03-05"),
    ("本报记者 王小明", "author", "王小明"),
    ("  某市委组织部研究室", "author", "某市委组织部研究室"),
])
def test_header_metadata(header, field, value):
    text, _, meta = clean_text(f"某县抓党建促脱贫见实效\n{header}\n{BODY}")
    assert meta[field] == value
    assert meta["title"] == "某县抓党建促脱贫见实效"
    assert text == f"某县抓党建促脱贫见实效\n{BODY}"


def test_dateline_without_year():
    raw = "會議現場。李宇 攝\n人民網貴陽6月26日電(李宇) 6月25日,記者從省政府新聞辦獲悉,全省脫貧攻堅取得成效。"
    text, offsets, meta = clean_text(raw)
    assert meta["title"] is None
    assert meta["source"] == "人民网" and meta["author"] == "李宇"
    assert meta["date"] is None
    assert text.startswith("人民网贵阳6月26日电(李宇) 6月25日,记者从")
    assert_offsets(raw, text, offsets)


def test_dateline_with_year_and_reporter():
    _, _, meta = clean_text("新华社北京2019年6月26日电(记者 王某某)" + BODY)
    assert meta == {**meta, "source": "新华社", "date": "2019-06-26", "author": "王某某"}


@pytest.mark.parametrize("last, author", [
    ("全部编入党组织。(黄某洲)", "黄某洲"),
    ("全部编入党组织。(作者系中共某县委常委、组织部长)", None),
    ("制定了管理办法(试行)", None),
])
def test_trailing_byline(last, author):
    _, _, meta = clean_text(f"某县抓党建促脱贫见实效\n{BODY}\n{last}\n责编:刘某")
    assert meta["author"] == author


def test_title_keeps_dash_subtitle_and_drops_masthead():
    raw = f"某某网\n某某月刊\n扶贫路上党旗红 ——某市抓党建促脱贫攻坚工作综述\n{BODY}"
    text, _, meta = clean_text(raw)
    assert meta["title"] == "扶贫路上党旗红 ——某市抓党建促脱贫攻坚工作综述"
    assert text.split("\n")[0] == meta["title"]
    assert "某某网" not in text and "某某月刊" not in text


# ------------------------------------------------------------------ t2s, pinyin, offsets

@pytest.mark.parametrize("raw, expected, flags", [
    ("新聞發(fā)布會(huì)現(xiàn)場", "新闻发布会现场", {"traditional", "pinyin"}),
    ("新聞發（fā）布會", "新闻发布会", {"traditional", "pinyin"}),
    ("人民网贵阳6月26日电(李宇)", "人民网贵阳6月26日电(李宇)", set()),
    ("一任务两要点(即农村基层党组织基本任务)", "一任务两要点(即农村基层党组织基本任务)", set()),
    ("推广PPP(ppp)模式", "推广PPP(ppp)模式", set()),
    ("不擔(dān)當(dāng)?shù)膯挝", "不担当膯挝", {"traditional", "pinyin", "mojibake"}),
    ("黨員　　幹部  下 鄉", "党员 干部 下 乡", {"traditional"}),
])
def test_t2s_and_pinyin(raw, expected, flags):
    text, offsets, meta = clean_text(raw)
    assert text == expected
    assert set(meta["flags"]) == flags
    assert_offsets(raw, text, offsets)


def test_newline_offsets_point_at_raw_newlines():
    raw = "標題在這裡是標題\r\n\r\n  第一段內容。\n\n第二段內容。"
    text, offsets, _ = clean_text(raw)
    assert text == "标题在这里是标题\n第一段内容。\n第二段内容。"
    assert_offsets(raw, text, offsets)


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(
    "党建扶贫貴州發會現場網(fā)（）()? \u3000\n\r\t:：来源作者编辑摄2018-04-28年月日。,abcāé>|【】相关新闻ICP备号"
))) | st.text())
def test_clean_text_never_raises_and_keeps_offsets(raw):
    text, offsets, meta = clean_text(raw)
    assert_offsets(raw, text, offsets)
    assert set(meta) >= {"title", "date", "source", "author", "dropped_lines", "flags"}


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=80).map(lambda t: t.encode("utf-8")))
def test_decode_bytes_only_raises_input_error(data):
    try:
        text, enc = decode_bytes(data, "x.txt")
    except InputError:
        return
    assert enc in {"utf-8", "utf-16", "gb18030", "big5", "big5hkscs"} and text.strip()


# ------------------------------------------------------------------ seeds

GOLD = {  # title, date, source, author (date of 003 stays None: its dateline has no year)
    "000": ("湖南:最优资源向脱贫攻坚一线倾斜", "2018-04-28", None, None),
    "001": ("扶贫路上党旗红 ——保山市抓党建促脱贫攻坚工作综述", None, "保山日报", "黄宝洲"),
    "002": ("建始县:“强化举措”为脱贫攻坚提供坚强的组织保障", "2017-12-25", "建始县委组织部", "曾凡忠"),
    "003": (None, None, "人民网", "李宇"),
    "004": ("为扶贫攻坚凝聚强大的组织力量", "2015-09-14", "巴中日报", "巴中市委组织部研究室"),
}
NEVER = ["相关新闻", "ICP", "打印本页", "分享到", "首 页", "您当前的位置", "责编", "责任编辑",
         "编辑:", "邮编", "版权声明", "未经授权", "委托新华通讯社主办", "半月谈", "摄\n", "(fā)",
         "巴州区", "发布日期", "来源", "作者:"]


@pytest.mark.parametrize("prefix", sorted(GOLD))
def test_seed(prefix):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    a = read_article(path)
    assert (a.title, a.date, a.source, a.author) == GOLD[prefix]
    for bad in NEVER:
        assert bad not in a.text, bad
    assert_offsets(a.raw, a.text, a.offsets)
    if a.title:
        assert a.text.split("\n")[0] == a.title
    assert a.id == path.stem and a.encoding == "utf-8"


def test_seed_keeps_section_heading_and_flags_003():
    a = read_article(next(SEEDS.glob("002_*.txt")))
    assert "坚持党建引领,增强脱贫力量" in a.text.split("\n")
    b = read_article(next(SEEDS.glob("003_*.txt")))
    assert {"traditional", "pinyin", "mojibake"} <= set(b.flags)
    assert "贵州共有8542名第一书记" in b.text


# ------------------------------------------------------------------ full-width punctuation

@pytest.mark.parametrize("header, field, value", [
    ("来源：新华网，作者：王某某", "source", "新华网"),
    ("来源：新华网，作者：王某某", "author", "王某某"),
    ("来源：某某日报；作者：李某", "source", "某某日报"),
    ("作者：张某某，来源：某县委组织部", "author", "张某某"),
])
def test_full_width_separators_end_metadata_fields(header, field, value):
    _, _, meta = clean_text(f"某县抓党建促脱贫见实效\n{header}\n{BODY}")
    assert meta[field] == value


def test_full_width_marks_end_body_lines_and_bylines():
    # a short line ending in ！ is a sentence of the body, not a title or a metadata line
    text, _, meta = clean_text(f"某县抓党建促脱贫见实效\n{BODY}\n脱贫路上一个也不能少！\n")
    assert "脱贫路上一个也不能少！" in text
    _, _, meta = clean_text(f"某县抓党建促脱贫见实效\n{BODY}\n大家干劲更足了！（黄某洲）\n")
    assert meta["author"] == "黄某洲"


def test_reporters_split_on_full_width_comma():
    _, _, meta = clean_text("新华社北京2019年6月26日电（记者 王某某，李某）" + BODY)
    assert meta["author"] in ("王某某、李某", "王某某")
