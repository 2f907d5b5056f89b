"""What a build gives its users, and the commands that read a built graph.

- ``folder``: the output folder, which changes as a whole and says which build it holds;
- ``report``: ``report.md``, what a build found and skipped;
- ``view``: ``graph.html``, the offline page built with pyvis;
- ``export``: the graph in the formats other tools read; ``formats``: the one table of formats;
- ``query``: SPARQL and the named queries over a built graph;
- ``serve``: the read-only SPARQL endpoint, with ``workers`` that run queries under a deadline and
  ``listen``, its socket, Host check and HTTP protocol;
- ``push``: sending a built graph to a remote triple store;
- ``validate``: the graph checked against ``shapes.ttl``.
"""
