"""The graph: extractions and merged entities → RDF, and where a built graph lives.

- ``iri``: deterministic IRIs for everything the graph holds;
- ``rdf``: extractions and entities → one RDF graph, written as Turtle;
- ``oxgraph``: the build's graph while it writes its outputs (in-memory Oxigraph, rdflib-style reads);
- ``store``: where a built graph is queried (in memory, or an on-disk Oxigraph store);
- ``storeload``: loading a build into an on-disk store, replaced whole or not at all.
"""
