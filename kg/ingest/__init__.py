"""Ingest: input files → articles → sentences → tokens and tags.

- ``inputs``: the files and folders a user names → units of work (one article each);
- ``decode``: bytes → text (UTF-8, GB18030 or Big5), and what makes an input an article at all;
- ``read``: decoded text → cleaned, Simplified text with metadata and offsets;
- ``captions``: which lines of the text are photo captions (read by no finder);
- ``sentences``: the cleaned text → sentences (quote-aware);
- ``segment``: words, with jieba's dictionary and the domain dictionary built from kg's resources;
- ``postag``: part-of-speech tags of those words, for the figure finder;
- ``jieba_io``: the only module that imports jieba;
- ``gazetteer``: China's administrative divisions (names, codes, parents, short forms), read by the
  segmenter's dictionary and every finder; ``gazetteer_cache``: the process's gazetteer, cached.
"""
