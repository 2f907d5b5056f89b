"""Part-of-speech tags of the segmenter's tokens (kg/ingest/postag.py), as the figure finder reads them."""
from kg.ingest.postag import Tagged, hmm_pieces, pieces


def words(sentence: str, a: int = 0, b: int | None = None) -> list[tuple[str, str]]:
    return [(w, flag) for w, flag, _, _ in Tagged(sentence).span(a, len(sentence) if b is None else b)]


def test_dictionary_words_take_jiebas_tags_and_numbers_are_m():
    got = dict(words("全县培养152名干部"))
    assert got["152"] == "m"
    assert got["培养"] == "v"
    assert got["干部"] == "n"


def test_counted_noun_kinds_override_jieba():
    # counted_nouns.tsv: 搬迁 is a modifier inside nouns (搬迁安置点), 全县 a scope word
    got = dict(words("全县建成223个搬迁安置点"))
    assert got["搬迁"] == "mod"
    assert got["全县"] == "scope"
    assert got["安置点"] == "n"


def test_spans_are_offsets_into_the_sentence_and_cover_it():
    s = "新一轮省派驻村帮扶工作队由187支"
    toks = Tagged(s).span(0, len(s))
    assert "".join(w for w, *_ in toks) == s
    for w, _, a, b in toks:
        assert s[a:b] == w


def test_a_span_that_cuts_a_token_segments_only_the_part_inside():
    s = "致富带头人占比达到58%"
    whole = Tagged(s).span(0, len(s))
    cut = Tagged(s).span(1, 5)                # starts inside the first token
    assert "".join(w for w, *_ in cut) == s[1:5]
    assert cut[0][2] == 1 and cut[-1][3] == 5
    assert whole[0][2] == 0


def test_an_initiative_name_kept_whole_by_the_domain_dictionary_is_split_into_its_words():
    assert len(pieces("中央财政扶持壮大村级集体经济项目")) > 1
    assert "".join(w for w, _ in pieces("中央财政扶持壮大村级集体经济项目")) == "中央财政扶持壮大村级集体经济项目"


def test_unknown_stretches_go_through_poss_hmm_with_its_flags():
    got = hmm_pieces("比选")
    assert "".join(w for w, _ in got) == "比选"
    assert all(flag for _, flag in got)
    assert hmm_pieces("2018年abc") == [("2018", "m"), ("年", hmm_pieces("年")[0][1]), ("abc", "eng")]


def test_a_token_running_into_a_head_noun_is_cut_so_the_noun_is_whole():
    # jieba segments 电|商人|才; 人才 (a head noun of counted_nouns.tsv) must come out whole
    got = [w for w, *_ in Tagged("全省培育电商人才300名").span(0, 8)]
    assert "人才" in got and "商人" not in got
