"""ontology.ttl: parses, declares every SCHEMA.md term with labels, comments, domains and ranges."""
from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib import namespace as rns
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS

from kg.model import ENTITY_TYPES, RELATION_TYPES
from kg.vocab import KG, KG_URI, NIF, ONTOLOGY_PATH, ORG, SDO, ontology_graph

ENTITY = ["Region", "Body", "Group", "Programme", "Measure", "Document", "Person"]
CLASSES = ENTITY + ["Indicator", "Article", "Initiative", "Mention", "Entity", "Post"]

# name -> (domain, range); None = not stated; a tuple = owl:unionOf of those classes
OBJECT_PROPERTIES = {
    "partOf": (KG.Region, KG.Region),
    "locatedIn": (KG.Body, KG.Region),
    "subOrganizationOf": (KG.Body, KG.Body),
    "issued": (KG.Body, KG.Document),
    "implements": (KG.Body, KG.Initiative),
    "appliesIn": (KG.Initiative, KG.Region),
    "targets": (KG.Initiative, KG.Group),
    "pairedWith": ((KG.Region, KG.Body), (KG.Region, KG.Body)),
    "memberOf": (KG.Person, KG.Body),
    "inRegion": (KG.Indicator, KG.Region),
    "mentions": (KG.Article, KG.Entity),
    "denotes": (KG.Mention, KG.Entity),
    "evidence": (None, NIF.Sentence),
}
DATATYPE_PROPERTIES = {
    "value": (KG.Indicator, rns.XSD.decimal),
    "unit": (KG.Indicator, rns.XSD.string),
    "year": (KG.Indicator, rns.XSD.gYear),
    "adminCode": (KG.Region, rns.XSD.string),
    "level": (KG.Region, rns.XSD.string),
    "pattern": (RDF.Statement, rns.XSD.string),
    "rule": (KG.Mention, rns.XSD.string),
    "role": (RDF.Statement, RDF.langString),
    "sourceFile": (KG.Article, rns.XSD.string),
    "normalizedText": ((NIF.Sentence, KG.Mention), rns.XSD.string),
    "sentenceIndex": (NIF.Sentence, rns.XSD.integer),
}
ALL_TERMS = CLASSES + list(OBJECT_PROPERTIES) + list(DATATYPE_PROPERTIES) + ["measures"]


@pytest.fixture(scope="module")
def g() -> Graph:
    return ontology_graph()


def test_parses_fresh():
    fresh = Graph().parse(ONTOLOGY_PATH, format="turtle")
    assert len(fresh) > 100
    assert (URIRef("https://w3id.org/kgpa/ontology"), RDF.type, OWL.Ontology) in fresh


def test_schema_md_names_agree_with_model():
    assert set(ENTITY_TYPES) == set(ENTITY)
    assert set(RELATION_TYPES) <= set(OBJECT_PROPERTIES)


@pytest.mark.parametrize("name", ALL_TERMS)
def test_term_has_labels_and_comment(g, name):
    term = URIRef(KG_URI + name)
    langs = {lit.language for lit in g.objects(term, RDFS.label)}
    assert {"zh", "en"} <= langs, name
    comments = list(g.objects(term, RDFS.comment))
    assert comments and all(isinstance(c, Literal) and str(c).strip() for c in comments)


@pytest.mark.parametrize("name", CLASSES)
def test_classes(g, name):
    assert (KG[name], RDF.type, OWL.Class) in g


@pytest.mark.parametrize("name", ENTITY)
def test_entity_types_under_entity(g, name):
    assert (KG[name], RDFS.subClassOf, KG.Entity) in g or \
        (KG[name], RDFS.subClassOf, KG.Initiative) in g


@pytest.mark.parametrize("name", ["Indicator", "Article", "Mention", "Post"])
def test_non_entities_not_under_entity_types(g, name):
    supers = set(g.transitive_objects(KG[name], RDFS.subClassOf))
    assert not supers & {KG[t] for t in ENTITY + ["Entity", "Initiative"]}


@pytest.mark.parametrize("sub,sup", [
    ("Programme", KG.Initiative), ("Measure", KG.Initiative), ("Mention", NIF.Phrase),
    ("Body", ORG.Organization), ("Person", SDO.Person), ("Document", SDO.CreativeWork),
    ("Article", SDO.NewsArticle), ("Region", SDO.AdministrativeArea),
    ("Indicator", SDO.QuantitativeValue), ("Group", SKOS.Concept), ("Initiative", PROV.Plan),
    ("Post", ORG.Post),
])
def test_class_alignments(g, sub, sup):
    assert (KG[sub], RDFS.subClassOf, sup) in g


def _check(g, term, pred, expected):
    got = list(g.objects(term, pred))
    if expected is None:
        assert got == [], (term, pred)
        return
    assert len(got) == 1, (term, pred, got)
    if isinstance(expected, tuple):
        members = list(Collection(g, g.value(got[0], OWL.unionOf)))
        assert set(members) == set(expected)
    else:
        assert got[0] == expected


@pytest.mark.parametrize("name", OBJECT_PROPERTIES)
def test_object_properties(g, name):
    term = KG[name]
    assert (term, RDF.type, OWL.ObjectProperty) in g
    domain, range_ = OBJECT_PROPERTIES[name]
    _check(g, term, RDFS.domain, domain)
    _check(g, term, RDFS.range, range_)


@pytest.mark.parametrize("name", DATATYPE_PROPERTIES)
def test_datatype_properties(g, name):
    term = KG[name]
    assert (term, RDF.type, OWL.DatatypeProperty) in g
    domain, range_ = DATATYPE_PROPERTIES[name]
    _check(g, term, RDFS.domain, domain)
    _check(g, term, RDFS.range, range_)


def test_measures_is_plain_rdf_property(g):
    assert (KG.measures, RDF.type, RDF.Property) in g
    assert (KG.measures, RDF.type, OWL.ObjectProperty) not in g
    assert (KG.measures, RDF.type, OWL.DatatypeProperty) not in g
    assert g.value(KG.measures, RDFS.domain) == KG.Indicator


def test_paired_with_symmetric(g):
    assert (KG.pairedWith, RDF.type, OWL.SymmetricProperty) in g


@pytest.mark.parametrize("name,sup", [
    ("partOf", SDO.containedInPlace), ("subOrganizationOf", ORG.subOrganizationOf),
    ("mentions", SDO.mentions), ("denotes", URIRef("http://www.w3.org/2005/11/its/rdf#taIdentRef")),
    ("memberOf", ORG.memberOf),
])
def test_property_alignments(g, name, sup):
    assert (KG[name], RDFS.subPropertyOf, sup) in g


def test_ontology_header(g):
    onto = URIRef("https://w3id.org/kgpa/ontology")
    assert g.value(onto, OWL.versionInfo)
    comment = str(g.value(onto, RDFS.comment))
    for word in ("nif:Sentence", "nif:beginIndex", "rdf:Statement", "kg:evidence", "kg:pattern",
                 "prov:wasDerivedFrom", "kg:Mention", "kg:denotes"):
        assert word in comment


def test_closed_namespace():
    assert str(KG.Body) == KG_URI + "Body"
    with pytest.raises(AttributeError):
        KG.Bodyy  # noqa: B018
