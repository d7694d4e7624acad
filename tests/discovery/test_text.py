"""Tests of the text analysis behind the similarity index: tokens, identifiers, stemming."""

from __future__ import annotations

from headway.discovery.text import analyze, char_ngrams, stem, tokenize


def test_camel_case_identifiers_are_split_and_also_kept_whole() -> None:
    assert {"get", "fil", "status", "getfilestatus"} <= set(tokenize("getFileStatus"))


def test_acronyms_inside_identifiers_are_split_at_the_word_boundary() -> None:
    assert {"xml", "parser", "xmlparser"} <= set(tokenize("XMLParser"))
    assert {"s3a", "fil", "system"} <= set(tokenize("S3AFileSystem"))


def test_plural_acronyms_stay_whole_and_meet_their_singular() -> None:
    assert tokenize("APIs") == tokenize("API") == ["api"]


def test_dotted_names_are_split_and_also_kept_whole() -> None:
    tokens = tokenize("org.apache.hadoop.fs.Path")
    assert {"apach", "hadoop", "fs", "path", "org.apache.hadoop.fs.path"} <= set(tokens)


def test_snake_case_and_hyphenated_names_are_split_and_also_kept_whole() -> None:
    assert {"max", "retry", "count", "max_retry_count"} <= set(tokenize("max_retry_count"))
    assert {"jackson", "databind", "jackson-databind"} <= set(tokenize("jackson-databind"))


def test_stop_words_and_single_letters_are_dropped() -> None:
    assert tokenize("the a of and to is x") == []


def test_a_sentence_ending_full_stop_does_not_glue_words() -> None:
    assert tokenize("It fails. Then") == ["fail"]


def test_markup_tags_carry_no_words() -> None:
    assert tokenize("{code:java}frobnicate(){code} {noformat}") == ["frobnicat"]


def test_inflections_of_a_word_share_one_stem() -> None:
    assert len({stem(w) for w in ("configure", "configured", "configuring", "configuration")}) == 1
    assert len({stem(w) for w in ("fail", "fails", "failed", "failing")}) == 1
    assert len({stem(w) for w in ("stop", "stops", "stopped", "stopping")}) == 1
    assert len({stem(w) for w in ("use", "used", "uses", "using")}) == 1
    assert len({stem(w) for w in ("property", "properties")}) == 1


def test_the_stemmer_leaves_short_words_and_words_with_digits_alone() -> None:
    assert stem("bus") == "bus"
    assert stem("s3guard") == "s3guard"
    assert stem("string") == "string"


def test_words_outside_ascii_are_tokens_too() -> None:
    assert "café" in tokenize("Le café est froid")


def test_compounds_are_reported_separately_for_the_code_channel() -> None:
    assert analyze("Fix DFSClient in org.apache.Foo").compounds == ("dfsclient", "org.apache.foo")


def test_character_ngrams_pad_each_token_with_spaces() -> None:
    assert char_ngrams(["abc"], 3, 4) == [" ab", "abc", "bc ", " abc", "abc "]
