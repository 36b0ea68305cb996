"""The graders' arithmetic: the similarity metrics as the README defines them, and templates."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconciler.emulator.foundry import graders, similarity

TEXT = st.text(alphabet="ab c", max_size=30)


def lcs_by_table(a: str, b: str) -> int:
    """The textbook dynamic programme, to check the bit-parallel one against."""
    row = [0] * (len(b) + 1)
    for x in a:
        previous, row = row, [0]
        for j, y in enumerate(b):
            row.append(previous[j] + 1 if x == y else max(previous[j + 1], row[j]))
    return row[-1]


@given(a=TEXT, b=TEXT)
def test_the_bit_parallel_lcs_is_the_lcs(a: str, b: str) -> None:
    assert similarity.lcs(a, b) == lcs_by_table(a, b)


@given(a=TEXT, b=TEXT, metric=st.sampled_from(sorted(similarity.METRICS)))
def test_every_metric_is_a_score_from_0_to_1(a: str, b: str, metric: str) -> None:
    assert 0.0 <= similarity.similarity(metric, a, b) <= 1.0 + 1e-9


@pytest.mark.parametrize(
    ("metric", "text", "reference", "score"),
    [
        ("fuzzy_match", "kitten", "sitting", 8 / 13),
        ("fuzzy_match", "", "", 1.0),
        ("rouge_1", "the cat sat", "the cat ran", 2 / 3),
        ("rouge_2", "the cat sat", "the cat ran", 1 / 2),
        ("rouge_l", "a b c d", "a c d", 2 * (3 / 4) * 1 / (3 / 4 + 1)),
        ("bleu", "the cat sat on the mat", "the cat sat on the mat", 1.0),
        ("bleu", "the cat", "the cat sat on the mat", math.exp(1 - 6 / 2)),
        ("gleu", "the cat", "the cat sat", 3 / 6),  # 3 of 3 found, 3 of 6 wanted
        ("meteor", "the cat sat", "the cat sat", (1 - 0.5 * (1 / 3) ** 3)),
        ("cosine", "a a b", "a b b", 4 / 5),
    ],
)
def test_known_scores(metric: str, text: str, reference: str, score: float) -> None:
    assert similarity.similarity(metric, text, reference) == pytest.approx(score)


def test_templates_fill_from_the_row() -> None:
    item = {"q": "Paris", "n": {"deep": 2}}
    sample = {"output_text": "It is Paris.", "output_items": [{"type": "message"}]}
    assert (
        graders.fill("{{item.q}} / {{ item.n.deep }} / {{item.none}}", item, sample)
        == "Paris / 2 / "
    )
    assert graders.fill("{{sample.output_items}}", item, sample) == '[{"type": "message"}]'
    assert graders.lookup("item.n", item, sample) == {"deep": 2}


def test_string_check_operations() -> None:
    def passed(operation: str, reference: str) -> bool:
        criterion = {"type": "string_check", "name": "s", "input": "{{sample.output_text}}"}
        criterion |= {"reference": reference, "operation": operation}
        result: bool = graders.grade(criterion, {}, {"output_text": "It is Paris."})["passed"]
        return result

    assert [passed("eq", "It is Paris."), passed("ne", "x"), passed("like", "Paris")] == [True] * 3
    assert [passed("like", "paris"), passed("ilike", "paris"), passed("eq", "it")] == [
        False,
        True,
        False,
    ]
