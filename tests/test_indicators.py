"""Figures, numbers and years in hand-written sentences of the genre (not taken from the seeds)."""
import pytest

import jieba

from kg.indicators import Figure, find_figures, find_year, parse_number

assert jieba.__version__ == "0.42.1"  # noun-phrase boundaries depend on its dictionary


def _triples(sentence):
    return [(f.value, f.unit, f.counted) for f in find_figures(sentence)]


# (sentence, expected [(value, unit, counted)]); counted None = not checked
FIGURES = [
    # counted noun after the figure
    ("甘肃省共选派6230支驻村工作队深入贫困村。", [(6230, "支", "驻村工作队")]),
    ("全区累计选派3.5万名第一书记到村任职。", [(35000, "名", "第一书记")]),
    ("广西选派1.2万多名机关干部驻村帮扶。", [(12000, "名", "机关干部")]),
    ("全州组织28名优秀年轻干部到乡镇挂职锻炼。", [(28, "名", "优秀年轻干部")]),
    ("该县帮助960户贫困户发展庭院经济。", [(960, "户", "贫困户")]),
    ("贵阳市共培训农村党员4.8万人次。", [(48000, "人次", "农村党员")]),
    ("选派36名政治素质好、工作能力强的干部担任村党组织书记。", [(36, "名", "村党组织书记")]),
    ("全省近3000名在扶贫一线表现突出的干部得到提拔重用。", [(3000, "名", "干部")]),
    ("组建126个产业发展党支部。", [(126, "个", "产业发展党支部")]),
    ("评选出15个“红旗党支部”。", [(15, "个", "红旗党支部")]),
    # counted noun before the figure
    ("今年招录乡镇公务员860名。", [(860, "名", "乡镇公务员")]),
    ("全市排查出软弱涣散村党组织215个。", [(215, "个", "软弱涣散村党组织")]),
    ("全县村党组织书记平均年龄43.5岁。", [(43.5, "岁", "村党组织书记")]),
    ("累计发放扶贫小额信贷2.36亿元。", [(236000000, "元", "扶贫小额信贷")]),
    ("村级集体经济总收入达到8600万元。", [(86000000, "元", "村级集体经济总收入")]),
    ("全盟建成扶贫车间320多个。", [(320, "个", "扶贫车间")]),
    ("专家服务团12批86人深入基层开展指导。", [(12, "批", "专家服务团"), (86, "人", "专家服务团")]),
    ("共有党员12.7万名。", [(127000, "名", "党员")]),
    # missing classifier filled in
    ("2300余建档立卡贫困户实现稳定就业。", [(2300, "户", "建档立卡贫困户")]),
    ("全县5600党员干部结对帮扶。", [(5600, "名", "党员干部")]),
    # percentages, durations, money kept
    ("高中以上学历的占72.5%。", [(72.5, "%", None)]),
    ("贫困发生率由18.6%下降到2.1%。", [(18.6, "%", None), (2.1, "%", None)]),
    ("从省直部门选派40名干部到深度贫困县挂职2年。", [(40, "名", "干部"), (2, "年", None)]),
    ("投入专项资金1,250万元。", [(12500000, "元", "专项资金")]),
    ("建成光伏扶贫电站１２０座。", [(120, "座", "光伏扶贫电站")]),
    ("全市村党组织书记中致富能手占百分之六十。", [(60, "%", None)]),
    ("共帮助群众解决实际困难1500余件。", [(1500, "件", "实际困难")]),
    # Chinese numerals: only real quantities
    ("成立三个督导组，分赴各县开展督查。", [(3, "个", "督导组")]),
    ("落实“五个一批”要求，开展“十项行动”。", []),
    ("增强“四个意识”，坚定“四个自信”。", []),
    ("从两个方面推进党建扶贫。", []),
    ("选派一批优秀干部担任第一书记。", []),
    ("一是强化组织领导，二是压实工作责任。", []),
    ("省委十一届五次全会作出部署。", []),
    # dates, time frames, names
    ("2017年6月15日，全省召开推进会。", []),
    ("近5年来，该县发展壮大村级集体经济。", []),
    ("实施“3+2”帮扶工程和“811”计划。", []),
    ("印发《关于做好2019年驻村工作的通知》。", []),
    ("联系电话：0871-6543210，邮编：650000。", []),
    ("制定促进农村基层组织建设20条。", []),
    # per-unit norms, ranges, thresholds
    ("每个贫困村选派不少于3名驻村干部。", []),
    ("按照每村2至3名的标准配备后备干部。", []),
    ("每名县级领导联系1个乡镇、2至3个贫困村。", []),
    ("重点培养35岁以下的年轻干部。", []),
    ("集体经济收入10万元以上的村达到85个。", [(85, "个", None)]),
    ("全省63.2%的村集体经济收入超过5万元。", [(63.2, "%", None)]),
    # approximators dropped, recorded
    ("带动4万余名群众增收。", [(40000, "名", "群众")]),
    ("力争培育致富带头人1000名左右。", [(1000, "名", "致富带头人")]),
    ("完成达标创建80%以上的目标任务。", [(80, "%", None)]),
]


@pytest.mark.parametrize("sentence,expected", FIGURES)
def test_find_figures(sentence, expected):
    got = _triples(sentence)
    assert [(v, u) for v, u, _ in got] == [(v, u) for v, u, _ in expected]
    for (_, _, c), (_, _, want) in zip(got, expected):
        if want is not None:
            assert c == want


def test_spans_and_approx():
    s = "全省近3000名在扶贫一线表现突出的干部得到提拔重用。"
    (f,) = find_figures(s)
    assert isinstance(f, Figure)
    assert f.text == s[f.start:f.end] == "近3000名在扶贫一线表现突出的干部"
    assert s[f.number_start:f.number_end] == "近3000名"
    assert f.approx == "近"
    assert s[f.counted_start:f.counted_end] == "干部"
    (g,) = find_figures("力争培育致富带头人1000名左右。")
    assert g.approx == "左右" and g.text == "致富带头人1000名左右"


def test_values_keep_type():
    (f,) = find_figures("平均年龄46.3岁")
    assert isinstance(f.value, float)
    (g,) = find_figures("选派2.4万名干部")
    assert g.value == 24000 and isinstance(g.value, int)


@pytest.mark.parametrize("text,value", [
    ("8761", 8761), ("2.4万", 24000), ("1.26亿", 126000000), ("46.3", 46.3),
    ("17万多", 170000), ("40多万", 400000), ("一千二百", 1200), ("两万", 20000),
    ("十二万五千", 125000), ("百", 100), ("百分之三十", 30), ("百分之12.5", 12.5),
    ("1,250", 1250), ("３０００", 3000), ("3000余", 3000), ("近5000", 5000),
    ("工作队", None), ("", None),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("sentence,para,pub,year", [
    ("2018年，全省招录乡镇公务员701名。", "", 2019, 2018),
    ("截至2018年底，共有党员173.8万名。", "", 2019, 2018),
    ("2016年以来，共提拔干部117名。", "", 2020, None),
    ("今年新选派51个科技专家服务团。", "", 2018, 2018),
    ("去年县乡换届，提拔10名干部。", "", 2017, 2016),
    ("前年共派出工作队20支。", "", 2017, 2015),
    ("目前，全县共有399支驻村工作队。", "", 2017, None),
    ("近年来先后选派120名科技人才。", "", 2018, None),
    ("共排查出软弱涣散基层党组织82个。", "2020年，为巩固整顿成果，", 2021, 2020),
    ("共排查出软弱涣散基层党组织82个。", "2019年以来，全市持续整顿，", 2021, None),
    ("共排查出软弱涣散基层党组织82个。", "全市持续整顿，", 2021, None),
    ("如期完成达标任务。", "2019年，排查整顿。2020年，开展专项整治。", 2021, 2020),
    ("如期完成达标任务。", "2019年，排查整顿。2020年以来，开展专项整治。", 2021, None),
    ("印发《关于抓好2020年整顿工作的通知》。", "", 2021, None),
    ("2016年全部消除空壳村，2019年全市950个村实现达标。", "", 2020, 2019),
    ("今年全省财政投入7亿元。", "", None, None),
])
def test_find_year(sentence, para, pub, year):
    assert find_year(sentence, para, pub) == year


def test_find_year_per_figure_prefix():
    s = "近年来先后选派120名科技人才，今年新选派51个科技专家服务团。"
    f120, f51 = find_figures(s)
    assert find_year(s[:f120.end], "", 2018) is None
    assert find_year(s[:f51.end], "", 2018) == 2018
