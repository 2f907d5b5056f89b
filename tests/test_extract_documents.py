"""Document mentions: titles in 《》 and untitled regulations with a document head."""
from __future__ import annotations

import pytest

from helpers import context
from kg.extract import documents

SICHUAN = "四川：抓党建促脱贫攻坚"


def docs(body: str, title: str | None = SICHUAN) -> list[str]:
    return [m.label for m in documents.find(context(body, title))]


@pytest.mark.parametrize("body, expected", [
    ("省委组织部印发《关于进一步加强驻村工作队管理的通知》。", ["关于进一步加强驻村工作队管理的通知"]),
    # inner “” are kept, only 《》 dropped; two titles in a row are two documents
    ("先后出台《关于“三变”改革的实施意见》《甘孜州脱贫攻坚考核办法》等文件。",
     ["关于“三变”改革的实施意见", "甘孜州脱贫攻坚考核办法"]),
    ("认真学习《中国共产党农村基层组织工作条例》。", ["中国共产党农村基层组织工作条例"]),
    # untitled regulations with a document head, cut on the left at the verb
    ("制定村干部报酬管理办法，规范待遇。", ["村干部报酬管理办法"]),
    ("出台驻村工作队考核办法。", ["驻村工作队考核办法"]),
    ("印发易地扶贫搬迁后续扶持工作方案。", ["易地扶贫搬迁后续扶持工作方案"]),
    # "…N条" regulations are named whole, verb included (gold NOTES 8: 加强…建设36条)
    ("出台加强基层党组织建设20条，压实责任。", ["加强基层党组织建设20条"]),
])
def test_documents(body, expected):
    assert docs(body) == expected


@pytest.mark.parametrize("body", [
    "细化帮扶措施15条。",                  # counts measures, not a title
    "《》空书名号不算。",
    "制定办法。",                          # a head with no name
    "落实好各项政策措施。",
])
def test_no_document(body):
    assert docs(body) == []


def test_title_spans_exclude_brackets():
    ctx = context("宁夏回族自治区党委印发《关于加强村级组织建设的意见》。", None)
    (m,) = documents.find(ctx)
    assert ctx.article.text[m.start - 1] == "《" and ctx.article.text[m.end] == "》"
    assert m.text == m.label == "关于加强村级组织建设的意见"
    assert m.type == "Document"
