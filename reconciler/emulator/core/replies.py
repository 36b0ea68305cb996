"""The fake models' answer text, one rule for every family: it depends on nothing but the input."""

from __future__ import annotations


def reply(user_texts: list[str], tool_outputs: list[str]) -> str:
    """The assistant's answer: depends on nothing but the thread's (or context's) input."""
    text = f"Emulated reply to {len(user_texts)} user message(s)."
    if user_texts:
        text += f" Last message: {user_texts[-1]}"
    if tool_outputs:
        text += " Tool outputs: " + "; ".join(tool_outputs)
    return text
