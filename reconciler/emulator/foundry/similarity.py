"""The `text_similarity` grader's metrics, each a deterministic score in [0, 1].

Words are the lower-cased `\\w+` runs of a text. The definitions, as the README gives them:
- `fuzzy_match`: characters, 2 * LCS / (len(a) + len(b)) (the normalised Indel similarity that
  rapidfuzz's `ratio` computes); 1 for two empty texts;
- `rouge_1` .. `rouge_5`: F1 of the clipped n-gram overlap of words; `rouge_l`: F1 of the
  longest common subsequence of words;
- `bleu`: sentence BLEU, the geometric mean of clipped n-gram precisions for n = 1 ..
  min(4, len(candidate), len(reference)) times the brevity penalty exp(1 - r / c) when c < r;
- `gleu`: Google BLEU, min(precision, recall) of all 1..4-gram matches;
- `meteor`: exact-match METEOR, Fmean = 10PR / (R + 9P) times 1 - 0.5 * (chunks / matches)^3
  (no stems, no synonyms);
- `cosine`: the cosine of word-count vectors. The service compares embeddings; this is the
  stand-in the grader labels as such.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def lcs(a: Sequence[object], b: Sequence[object]) -> int:
    """Length of the longest common subsequence, bit-parallel (Allison-Dix/Hyyro): O(|b| |a|/64)."""
    masks: dict[object, int] = {}
    for index, token in enumerate(a):
        masks[token] = masks.get(token, 0) | (1 << index)
    full = (1 << len(a)) - 1
    row = full
    for token in b:
        matched = row & masks.get(token, 0)
        row = ((row + matched) | (row - matched)) & full
    return len(a) - row.bit_count()


def _f1(overlap: int, candidate: int, reference: int) -> float:
    if overlap == 0 or candidate == 0 or reference == 0:
        return 0.0
    precision, recall = overlap / candidate, overlap / reference
    return 2 * precision * recall / (precision + recall)


def _grams(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def _overlap(a: Counter[tuple[str, ...]], b: Counter[tuple[str, ...]]) -> int:
    return sum((a & b).values())


def fuzzy_match(text: str, reference: str) -> float:
    total = len(text) + len(reference)
    return 1.0 if total == 0 else 2 * lcs(text, reference) / total


def rouge_n(n: int) -> Callable[[str, str], float]:
    def score(text: str, reference: str) -> float:
        candidate, target = _grams(words(text), n), _grams(words(reference), n)
        overlap = _overlap(candidate, target)
        return _f1(overlap, sum(candidate.values()), sum(target.values()))

    return score


def rouge_l(text: str, reference: str) -> float:
    candidate, target = words(text), words(reference)
    return _f1(lcs(candidate, target), len(candidate), len(target))


def bleu(text: str, reference: str) -> float:
    candidate, target = words(text), words(reference)
    order = min(4, len(candidate), len(target))
    if order == 0:
        return 0.0
    logs = []
    for n in range(1, order + 1):
        grams = _grams(candidate, n)
        matched = _overlap(grams, _grams(target, n))
        if matched == 0:
            return 0.0
        logs.append(math.log(matched / sum(grams.values())))
    penalty = 1.0 if len(candidate) >= len(target) else math.exp(1 - len(target) / len(candidate))
    return penalty * math.exp(sum(logs) / order)


def gleu(text: str, reference: str) -> float:
    candidate, target = words(text), words(reference)
    matched = found = wanted = 0
    for n in range(1, 5):
        grams, goal = _grams(candidate, n), _grams(target, n)
        matched += _overlap(grams, goal)
        found, wanted = found + sum(grams.values()), wanted + sum(goal.values())
    if found == 0 or wanted == 0:
        return 0.0
    return min(matched / found, matched / wanted)


def meteor(text: str, reference: str) -> float:
    candidate, target = words(text), words(reference)
    used: set[int] = set()
    positions = []  # the reference position each matched candidate word took, in order
    for token in candidate:
        spot = next((i for i, ref in enumerate(target) if ref == token and i not in used), None)
        if spot is not None:
            used.add(spot)
            positions.append(spot)
    matches = len(positions)
    if matches == 0:
        return 0.0
    precision, recall = matches / len(candidate), matches / len(target)
    fmean = 10 * precision * recall / (recall + 9 * precision)
    chunks = 1 + sum(1 for a, b in itertools.pairwise(positions) if b != a + 1)
    return fmean * (1 - 0.5 * (chunks / matches) ** 3)


def cosine(text: str, reference: str) -> float:
    a, b = Counter(words(text)), Counter(words(reference))
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return 0.0 if norm == 0 else sum(a[w] * b[w] for w in a) / norm


METRICS: dict[str, Callable[[str, str], float]] = {
    "fuzzy_match": fuzzy_match,
    "bleu": bleu,
    "gleu": gleu,
    "meteor": meteor,
    "cosine": cosine,
    **{f"rouge_{n}": rouge_n(n) for n in range(1, 6)},
    "rouge_l": rouge_l,
}
STAND_IN_METRICS = ("cosine",)


def similarity(metric: str, text: str, reference: str) -> float:
    return METRICS[metric](text, reference)
