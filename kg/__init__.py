"""kg: Chinese news articles on Party building for poverty alleviation → an RDF knowledge graph
(regions, bodies, programmes, measures, people and figures); README.md documents every command."""

__version__ = "0.1.0"   # the one place of the version: pyproject reads it ([tool.setuptools.dynamic])
