"""Posts: the bodies with the most named office-holders (people who hold a post in them).

A holder is a person with ``kg:memberOf`` the body; the roles come from the posts
(``org:postIn`` the body, ``org:heldBy`` the person, ``org:role`` labelled), the articles from the
``rdf:Statement`` of each memberOf triple. Returned as plain, sorted rows: most holders first.

What this module does not do: say who holds what across regions (the named query
``people-and-posts`` does), or format output.
"""
from __future__ import annotations

from rdflib import Graph

from kg.vocab import KG

from kg.analysis.common import article_id, select
from kg.graph.labels import label

HOLDERS = """
SELECT ?b ?p ?role ?article WHERE {
  ?p kg:memberOf ?b .
  ?b a kg:Body . ?p a kg:Person .
  OPTIONAL { ?post org:postIn ?b ; org:heldBy ?p ; org:role/rdfs:label ?role }
  OPTIONAL { ?st rdf:subject ?p ; rdf:predicate kg:memberOf ; rdf:object ?b ; prov:wasDerivedFrom ?article }
}"""


def office_holders(graph: Graph) -> list[dict]:
    """Each body with a named office-holder: its label, regions (kg:locatedIn), the number of
    distinct holders, each holder with the roles held there, and the articles stating them;
    by number of holders (most first), then label."""
    bodies: dict = {}
    for b, p, role, article in select(graph, HOLDERS):
        body = bodies.setdefault(b, {"people": {}, "articles": set()})
        roles = body["people"].setdefault(p, set())
        if role is not None:
            roles.add(str(role))
        if article is not None:
            body["articles"].add(article_id(article))
    rows = []
    for b, body in bodies.items():
        people = sorted(({"label": label(graph, p), "roles": sorted(roles)} for p, roles in body["people"].items()),
                        key=lambda x: (x["label"], x["roles"]))
        rows.append({"id": str(b), "label": label(graph, b),
                     "regions": sorted(label(graph, r) for r in graph.objects(b, KG.locatedIn)),
                     "holders": len(people), "people": people, "articles": sorted(body["articles"])})
    rows.sort(key=lambda r: (-r["holders"], r["label"], r["id"]))
    return rows

