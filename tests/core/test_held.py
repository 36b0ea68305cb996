"""What the states hold: each distinct instructions text once, however many assistants on either
side hold it (a no-op plan holds every assistant twice, declared and live)."""

from __future__ import annotations

import gc

from reconciler.core.kinds.assistant.types import DesiredAssistant, LiveAssistant


def text(*parts: str) -> str:
    """A new string each call, equal for equal parts (literals would be one object already)."""
    return "".join(parts)


def live(instructions: str | None) -> LiveAssistant:
    return LiveAssistant("asst_1", 1, "bot", None, "gpt-4", instructions, (), (), {})


def test_equal_instructions_are_one_copy_whichever_side_made_them_first() -> None:
    first = DesiredAssistant("bot", "gpt-4", instructions=text("Help ", "with orders."))
    second = live(text("Help ", "with orders."))
    third = DesiredAssistant("other", "gpt-4", instructions=text("Help ", "with orders."))
    assert second.instructions is first.instructions
    assert third.instructions is first.instructions
    fourth = live(text("Help ", "with returns."))
    assert fourth.instructions == "Help with returns."
    assert fourth.instructions is not first.instructions


def test_a_text_that_no_assistant_holds_any_more_is_forgotten() -> None:
    gone = live(text("Answer ", "in French."))
    del gone
    gc.collect()  # a slotted dataclass is freed at once; collected for other interpreters
    again = text("Answer ", "in French.")
    assert live(again).instructions is again


def test_no_instructions_stay_none() -> None:
    assert live(None).instructions is None
    assert DesiredAssistant("bot", "gpt-4").instructions is None
