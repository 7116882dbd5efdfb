"""The extractive composer: which sentences of the retrieved passages make the answer."""

import numpy as np

from assistant.answer.extractive import ExtractiveComposer
from assistant.models import Chunk, LegalStatus, Passage
from assistant.retrieval.load import LoadedIndex


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def _composer(passages: list[tuple[str, list[tuple[str, np.ndarray]]]]) -> tuple[ExtractiveComposer, list[Passage]]:
    chunks = [Chunk(cid, cid, " ".join(t for t, _ in sents), "SEND Regulations 2014", f"reg {i + 1}", cid, LegalStatus.LAW)
              for i, (cid, sents) in enumerate(passages)]
    index = LoadedIndex(  # the real class, with no keyword index or vector store: the composer reads neither
        build="test",
        chunks=chunks,
        sentences=[[t for t, _ in sents] for _, sents in passages],
        sentence_chunk=np.array([i for i, (_, sents) in enumerate(passages) for _ in sents], dtype=np.int32),
        sentence_vectors=np.stack([v for _, sents in passages for _, v in sents]),
        keyword=None,  # type: ignore[arg-type]
        store=None,  # type: ignore[arg-type]
        manifest={},
    )
    return ExtractiveComposer(index), [Passage(c, 1.0 - i / 10) for i, c in enumerate(chunks)]


QUESTION = _unit(1, 0, 0)


def test_support_takes_up_to_two_sentences_from_one_passage() -> None:
    composer, passages = _composer([
        ("lead", [("The council must decide within six weeks of the request.", _unit(1, 0.1, 0))]),
        ("other", [
            ("The council must send its decision to the parent in writing.", _unit(1, 0.6, 0)),
            ("The parent can appeal the decision to the tribunal within two months.", _unit(1, 0, 0.6)),
            ("Unrelated text about school transport arrangements for pupils.", _unit(0, 0, 1)),
        ]),
    ])
    got = composer.lead_and_support("when must the council decide", QUESTION, passages, extra=5)
    texts = [s.text for s in got.selected]
    assert texts[0].startswith("The council must decide")
    assert sum(s.chunk.chunk_id == "other" for s in got.selected) == 2
    assert not any("transport" in t for t in texts)


def test_a_supporting_sentence_that_leans_on_the_one_before_is_not_taken_alone() -> None:
    composer, passages = _composer([
        ("lead", [("The council must secure the provision in the plan.", _unit(1, 0.1, 0))]),
        ("other", [
            ("Some provision can be left out of a personal budget for good reasons.", _unit(0.2, 1, 0)),
            ("A typical example is provision the council must secure through a block contract.", _unit(1, 0, 0.05)),
            ("The council must explain in writing why it refuses a personal budget.", _unit(1, 0, 0.8)),
        ]),
    ])
    got = composer.lead_and_support("must the council secure the provision", QUESTION, passages, extra=3)
    texts = [s.text for s in got.selected]
    assert not any(t.startswith("A typical example") for t in texts)
    assert any(t.startswith("The council must explain") for t in texts)


def test_acronyms_inside_an_organisation_name_are_left_alone() -> None:
    from assistant.answer.render import expand_acronyms

    text = expand_acronyms("SOS!SEN says a parent need not sign. SEN support is for pupils with SEN.")
    assert text.startswith("SOS!SEN says")
    assert "special educational needs (SEN) support" in text


def test_each_acronym_is_spelt_out_at_its_first_use_only() -> None:
    from assistant.answer.render import expand_acronyms

    text = expand_acronyms("The LA must reply. The LA may ask the SENCO. Ask your SENDIASS.")
    assert text.count("local authority (the council) (LA)") == 1 and text.index("(LA)") < text.index("The LA may")
    assert "special educational needs co-ordinator (SENCO)" in text
    # the spelt-out name of SENDIASS holds another acronym, SEND, which is spelt out in turn
    assert "special educational needs and disabilities (SEND) Information, Advice and Support Service (SENDIASS)" in text
    already = "An education, health and care plan (EHCP) sets out support. The EHCP is reviewed."
    assert expand_acronyms(already) == already


def test_an_ask_moves_the_lead_only_among_passages_retrieval_scored_nearly_as_high() -> None:
    composer, passages = _composer([
        ("best", [("Children's social care services can continue after the young person turns 18.", _unit(1, 0.3, 0))]),
        ("echo", [("The plan can stop on the young person's birthday only in these cases.", _unit(0.2, 1, 0))]),
    ])
    ask = [("will it all stop on his birthday", _unit(0, 1, 0))]
    far = [Passage(passages[0].chunk, 0.84), Passage(passages[1].chunk, 0.77)]
    got = composer.lead_and_support("will it stop on his birthday", QUESTION, far, parts=ask, extra=2)
    assert got.selected[0].chunk.chunk_id == "best"
    near = [Passage(passages[0].chunk, 0.84), Passage(passages[1].chunk, 0.82)]
    got = composer.lead_and_support("will it stop on his birthday", QUESTION, near, parts=ask, extra=2)
    assert got.selected[0].chunk.chunk_id == "echo"
