"""Check a built graph against ``shapes.ttl`` (SHACL) with pyshacl and report what fails.

``validate(graph)`` returns a ``Validation``: whether the graph conforms and one ``Violation``
per failing node (the node, its label when it has one, the property path, the shape's message
and the offending value); ``format_report`` prints them grouped by message, readable in a
terminal. No inference is run (the graph is checked as written, in about a second on the seeds).

``shapes.ttl`` sits at the top of the project beside ``ontology.ttl`` and is found the same
way (``kg.vocab``). What this module does not do: fix a graph, or check extraction quality.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from kg.vocab import ONTOLOGY_PATH, PREFIXES

SHAPES_PATH = ONTOLOGY_PATH.parent / "shapes.ttl"
SH = "http://www.w3.org/ns/shacl#"


@dataclass
class Violation:
    """One SHACL result: the focus node and its label, the path, message, value and severity."""
    node: str
    label: str
    path: str
    message: str
    value: str
    severity: str


@dataclass
class Validation:
    """Whether the graph conforms to shapes.ttl, and the violations when it does not."""
    conforms: bool
    violations: list[Violation] = field(default_factory=list)


def _short(term) -> str:
    if term is None:
        return ""
    s = str(term)
    if isinstance(term, URIRef):
        for prefix, uri in PREFIXES.items():
            if s.startswith(uri) and len(s) > len(uri):
                return f"{prefix}:{s[len(uri):]}"
    return s


def validate(graph: Graph, shapes: str | Path | None = None) -> Validation:
    """Run the SHACL shapes over ``graph`` (pyshacl, no inference)."""
    import pyshacl

    sg = Graph().parse(str(shapes or SHAPES_PATH), format="turtle")
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=sg, inference="none", allow_warnings=True)
    out = []
    for r in report.subjects(RDF.type, URIRef(SH + "ValidationResult")):
        node = report.value(r, URIRef(SH + "focusNode"))
        label = graph.value(node, RDFS.label) if node is not None else None
        out.append(Violation(
            node=_short(node), label=str(label) if label is not None else "",
            path=_short(report.value(r, URIRef(SH + "resultPath"))),
            message=str(report.value(r, URIRef(SH + "resultMessage")) or ""),
            value=_short(report.value(r, URIRef(SH + "value"))),
            severity=_short(report.value(r, URIRef(SH + "resultSeverity"))).rsplit("#", 1)[-1]))
    out.sort(key=lambda v: (v.message, v.node, v.path, v.value))
    return Validation(bool(conforms), out)


def format_report(v: Validation, limit: int = 20) -> str:
    """The violations grouped by message, at most ``limit`` nodes listed per message."""
    if v.conforms:
        return "conforms: the graph satisfies every shape of shapes.ttl"
    groups: dict[str, list[Violation]] = {}
    for x in v.violations:
        groups.setdefault(x.message or f"{x.path} fails", []).append(x)
    lines = [f"does not conform: {len(v.violations)} violation(s) of {len(groups)} kind(s)"]
    for msg, items in groups.items():
        lines.append(f"\n✗ {msg} ({len(items)})")
        for x in items[:limit]:
            label = f" ({x.label})" if x.label else ""
            extra = (f"  {x.path}" if x.path else "") + (f" = {x.value}" if x.value else "")
            lines.append(f"    {x.node}{label}{extra}")
        if len(items) > limit:
            lines.append(f"    … and {len(items) - limit} more")
    return "\n".join(lines)
