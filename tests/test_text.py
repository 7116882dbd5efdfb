from assistant.text import split_sentences


def test_splits_without_breaking_legal_citations() -> None:
    text = "The LA must decide within 6 weeks (reg. 5(1)). See s.36(8) e.g. for the test. Para 9.14 explains it."
    assert split_sentences(text) == [
        "The LA must decide within 6 weeks (reg. 5(1)).",
        "See s.36(8) e.g. for the test.",
        "Para 9.14 explains it.",
    ]


def test_bullets_and_headings_are_units() -> None:
    text = "## Heading\nIntro line:\n\n- first item\n- second item. With more."
    assert split_sentences(text) == ["Intro line:", "first item", "second item.", "With more."]
