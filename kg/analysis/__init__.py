"""Analysis of a built graph, as plain functions: an RDF graph (or the NetworkX graph made from
it) goes in, plain dicts and lists come out, sorted so that the same graph gives the same answer.

- ``network``: the one RDF → NetworkX conversion, centrality per type, Louvain communities;
- ``hierarchy``: provinces of regions, the region hierarchy, the region × initiative comparison and
  per-province profiles (bodies, groups, figures), by SPARQL;
- ``officeholders``: the bodies with the most named office-holders (people with a post in them);
- ``evaluate``: extraction scored against a gold file (``kg eval``);
- ``coverage``: per-article coverage (entities per type, sentences with no extraction), by SPARQL;
- ``markdown``: ``analysis.md`` from the assembled result;
- ``common``: running a query with kg's prefixes, article ids, labels.

``kg.analysis.analyze`` assembles them and writes ``analysis.md`` and ``analysis.json``.
"""
