"""Mention finders: one module per entity type, each ``find(ctx) -> list[Mention]``.

They share one ``ArticleContext`` (``kg.extract.context``): the article, its sentences and
tokens, the region matches and the article's home region. Labels are set by the finders
when the rule that found a mention also knows its canonical form; ``kg.extract.resolve`` merges them.
"""
