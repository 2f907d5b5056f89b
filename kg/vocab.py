"""The ontology's terms as one namespace object, read from ``ontology.ttl``.

``KG.Body`` is the IRI of the class Body; a misspelt term (``KG.Bodyy``) raises AttributeError
instead of minting a wrong IRI, because the namespace is closed over the terms the ontology
declares. Instance IRIs live under ``KGR`` (see ``kg.graph.iri``). Other vocabularies used in the
output (NIF, ORG, schema.org, PROV, SKOS …) are bound here too, so every module takes its
terms from one place.

What this module does not do: write the ontology (that is ``ontology.ttl``, edited by hand).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD, ClosedNamespace

# The ontology sits at the top of the project (the owner asked for it there); kg/data/ontology.ttl
# is a symlink to it, which the wheel build replaces by the file itself, so the package finds it
# inside itself in a checkout, an editable install and a plain `pip install .` alike.
ONTOLOGY_PATH = Path(__file__).resolve().parent / "data" / "ontology.ttl"
KG_URI = "https://w3id.org/kgpa/ontology#"
KGR_URI = "https://w3id.org/kgpa/id/"

KGR = Namespace(KGR_URI)
NIF = Namespace("http://persistence.uni-leipzig.org/nlp2rdf/ontologies/nif-core#")
ITSRDF = Namespace("http://www.w3.org/2005/11/its/rdf#")
ORG = Namespace("http://www.w3.org/ns/org#")
SDO = Namespace("https://schema.org/")
DCT = Namespace("http://purl.org/dc/terms/")

# Prefixes bound in every graph we write and every query we run.
PREFIXES = {
    "kg": KG_URI, "kgr": KGR_URI, "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL),
    "xsd": str(XSD), "skos": str(SKOS), "prov": str(PROV), "nif": str(NIF),
    "itsrdf": str(ITSRDF), "org": str(ORG), "schema": str(SDO), "dct": str(DCT),
}


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology, parsed once."""
    g = Graph()
    g.parse(ONTOLOGY_PATH, format="turtle")
    return g


def _declared_terms() -> list[str]:
    names = set()
    for s in ontology_graph().subjects():
        if isinstance(s, URIRef) and str(s).startswith(KG_URI) and len(str(s)) > len(KG_URI):
            names.add(str(s)[len(KG_URI):])
    return sorted(names)


KG = ClosedNamespace(KG_URI, _declared_terms())


def bind_prefixes(graph: Graph) -> Graph:
    """``graph`` with kg's prefixes (``PREFIXES``) bound, replacing any it had; returned for chaining."""
    for prefix, uri in PREFIXES.items():
        graph.bind(prefix, uri, override=True, replace=True)
    return graph
