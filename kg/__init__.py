"""kg: Chinese news articles on Party building for poverty alleviation → an RDF knowledge graph
(regions, bodies, programmes, measures, people and figures); README.md documents every command."""
