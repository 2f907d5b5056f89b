"""Deterministic IRIs for everything the graph holds.

An IRI depends only on what it names: a region with an official code is ``region/<code>``, a
village ``region/<county code>-<digest of its name>``;
other entities are ``<type>/<first 12 hex digits of SHA-1 of the label>``; article parts hang
under ``article/<id>/``. So the same input always gives the same IRIs, whatever the order the
articles were read in.

What this module does not do: decide identity (``kg.model.entity_key`` does).
"""
from __future__ import annotations

import hashlib
from urllib.parse import quote

from rdflib import URIRef

from kg.model import EntityType
from kg.vocab import KGR


def digest(*parts: object, length: int = 12) -> str:
    """The first ``length`` hex digits of the SHA-1 of ``parts`` joined by U+001F.

    >>> digest("Body", "某县委组织部")
    '61bcfffe9f0f'
    >>> len(digest("Body", "某县委组织部", length=8))
    8
    """
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:length]


def entity_iri(type_: str, label: str, code: str = "") -> URIRef:
    """``label`` is the entity's identity: a village's is its name scoped by its county's code
    (青石村@420527 → region/420527-<digest>), so that namesakes stay apart.

    >>> str(entity_iri("Region", "湖南省", code="430000"))
    'https://w3id.org/kgpa/id/region/430000'
    >>> str(entity_iri("Region", "青石村@420527")) == "https://w3id.org/kgpa/id/region/420527-" + digest("Region", "青石村")
    True
    >>> str(entity_iri("Body", "某县委组织部")) == "https://w3id.org/kgpa/id/body/" + digest("Body", "某县委组织部")
    True
    """
    if type_ == EntityType.REGION and code:
        return KGR[f"region/{code}"]
    if type_ == EntityType.REGION and "@" in label:
        name, scope = label.rsplit("@", 1)
        return KGR[f"region/{scope}-{digest(type_, name)}"]
    return KGR[f"{type_.lower()}/{digest(type_, label)}"]


def article_iri(article_id: str) -> URIRef:
    """The article's IRI under ``kgr:article/``, its id percent-encoded.

    >>> str(article_iri("news 1/a"))
    'https://w3id.org/kgpa/id/article/news%201%2Fa'
    """
    return KGR[f"article/{quote(article_id, safe='-_.')}"]


def sentence_iri(article_id: str, index: int) -> URIRef:
    """The IRI of sentence ``index`` of the article.

    >>> str(sentence_iri("d1", 3))
    'https://w3id.org/kgpa/id/article/d1/s3'
    """
    return URIRef(f"{article_iri(article_id)}/s{index}")


def byline_iri(article_id: str) -> URIRef:
    """The IRI of the article's byline."""
    return URIRef(f"{article_iri(article_id)}/byline")


def mention_iri(article_id: str, start: int, end: int, type_: str) -> URIRef:
    """The IRI of a mention: the article's IRI, its span and its type.

    >>> str(mention_iri("d1", 5, 9, "Body"))
    'https://w3id.org/kgpa/id/article/d1/m5-9-body'
    """
    return URIRef(f"{article_iri(article_id)}/m{start}-{end}-{type_.lower()}")


def indicator_iri(article_id: str, start: int, end: int) -> URIRef:
    """The IRI of the figure at ``[start, end)`` of the article, under ``kgr:indicator/``.

    >>> str(indicator_iri("d1", 5, 9))
    'https://w3id.org/kgpa/id/indicator/d1/5-9'
    """
    return KGR[f"indicator/{quote(article_id, safe='-_.')}/{start}-{end}"]


def statement_iri(subject: URIRef, predicate: URIRef, obj: URIRef, article_id: str, sentence: int,
                  role: str = "") -> URIRef:
    """A relation statement; a post's role is part of it (one sentence can name two posts of a
    person in one body), other relations' IRIs are as they were without one."""
    parts = (subject, predicate, obj, article_id, sentence) + ((role,) if role else ())
    return KGR[f"statement/{digest(*parts, length=16)}"]


def post_iri(body: URIRef, role: str, person: URIRef) -> URIRef:
    """A person's post in a body (``org:Post``): one per (body, role, person), whatever the
    articles that state it, so two people holding the same role are two posts."""
    return KGR[f"post/{digest(body, role, person)}"]


def role_iri(role: str) -> URIRef:
    """The role a post is (``org:Role``), one per role as written: 部长, 常委, 书记 …"""
    return KGR[f"role/{digest('Role', role)}"]
