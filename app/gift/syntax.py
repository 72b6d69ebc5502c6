"""GIFT text <-> GiftQuestion, pure. Moodle's format: https://docs.moodle.org/en/GIFT_format

Supported: multiple choice (one right answer, or several with % weights), true/false, short
answer, numeric (value:tolerance, min..max, several answers) and matching, each with per-answer
and general feedback. Anything else (essay, description, missing word inside the text, ...) is a
GiftError naming its line, and a file with any error yields nothing: no half import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["choice", "truefalse", "short", "numeric", "matching"]
SPECIAL = "~=#{}:"


class GiftError(ValueError):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line, self.reason = line, reason


@dataclass(frozen=True)
class GiftAnswer:
    text: str  # a choice, an accepted short answer, a number, or a matching item
    weight: float = 100  # percent; a plain "~" answer weighs 0
    feedback: str = ""
    tolerance: float = 0.0  # numeric: value +- tolerance
    high: float | None = None  # numeric range min..max: text is min, high is max
    match: str = ""  # matching: the item's category


@dataclass(frozen=True)
class GiftQuestion:
    line: int
    title: str
    text: str
    kind: Kind
    answers: tuple[GiftAnswer, ...] = ()
    truth: bool | None = None  # true/false
    feedback_wrong: str = ""  # true/false: shown to a wrong answer
    feedback_right: str = ""
    general: str = ""
    several: bool = field(default=False)  # choice with more than one right answer (weights)


def parse(text: str) -> list[GiftQuestion]:
    """Every question in `text`; raises GiftError at the first unsupported or malformed one."""
    return [_question(line, chunk) for line, chunk in _chunks(text)]


def _chunks(text: str) -> list[tuple[int, str]]:
    """Questions are separated by blank lines; `//` comment lines are dropped."""
    chunks: list[tuple[int, str]] = []
    start, lines = 0, []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw.strip().startswith("//"):
            continue
        if raw.strip():
            if not lines:
                start = number
            lines.append(raw)
        elif lines:
            chunks.append((start, "\n".join(lines)))
            lines = []
    if lines:
        chunks.append((start, "\n".join(lines)))
    return chunks


def _split(text: str, marks: str) -> list[tuple[str, str]]:
    """Split at unescaped marks: [(mark, text), ...]; the first piece has mark ""."""
    pieces, mark, buf, i = [], "", [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            buf.append(text[i : i + 2])
            i += 2
            continue
        if ch in marks:
            pieces.append((mark, "".join(buf)))
            mark, buf = ch, []
        else:
            buf.append(ch)
        i += 1
    pieces.append((mark, "".join(buf)))
    return pieces


def unescape(text: str) -> str:
    text = re.sub(r"\\([~=#{}:])", r"\1", text)
    return text.replace("\\n", "\n").strip()


def escape(text: str) -> str:
    text = re.sub(r"([~=#{}:])", r"\\\1", text)
    return text.replace("\n", "\\n")


def _find_unescaped(text: str, ch: str, start: int = 0) -> int:
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text[i] == ch:
            return i
        i += 1
    return -1


def _question(line: int, chunk: str) -> GiftQuestion:
    body = chunk.strip()
    title = ""
    if body.startswith("::"):
        end = body.find("::", 2)
        if end < 0:
            raise GiftError(line, "a title opened with :: is never closed")
        title, body = unescape(body[2:end]), body[end + 2 :].strip()
    body = re.sub(r"^\[(markdown|plain|html|moodle)\]", "", body).strip()
    opening = _find_unescaped(body, "{")
    if opening < 0:
        raise GiftError(line, "a description with no answers is not a question (not supported)")
    closing = _find_unescaped(body, "}", opening)
    if closing < 0:
        raise GiftError(line, "the answers opened with { are never closed")
    stem, inner, after = body[:opening], body[opening + 1 : closing], body[closing + 1 :]
    if after.strip() and stem.strip():
        raise GiftError(line, "a missing word inside the text is not supported")
    text = unescape(stem or after)
    if not text:
        raise GiftError(line, "the question has no text")
    inner, general = _general(inner)
    answer_line = line + chunk[: chunk.find("{")].count("\n") if "{" in chunk else line
    return _answers(answer_line, title, text, inner.strip(), general)


def _general(inner: str) -> tuple[str, str]:
    """Split off "####general feedback"."""
    at = inner.find("####")
    while at > 0 and inner[at - 1] == "\\":
        at = inner.find("####", at + 1)
    if at < 0:
        return inner, ""
    return inner[:at], unescape(inner[at + 4 :])


def _answers(line: int, title: str, text: str, inner: str, general: str) -> GiftQuestion:
    if not inner:
        raise GiftError(line, "an essay question (empty answers) is not supported")
    upper = _split(inner, "#")[0][1].strip().upper()
    if upper in {"T", "TRUE", "F", "FALSE"}:
        feedback = [unescape(t) for _, t in _split(inner, "#")[1:]]
        return GiftQuestion(
            line, title, text, "truefalse", truth=upper.startswith("T"),
            feedback_wrong=feedback[0] if feedback else "",
            feedback_right=feedback[1] if len(feedback) > 1 else "", general=general,
        )  # fmt: skip
    if inner.startswith("#"):
        return _numeric(line, title, text, inner[1:], general)
    parts = [(m, t) for m, t in _split(inner, "=~") if m or t.strip()]
    if not parts or parts[0][0] == "":
        raise GiftError(line, "answers must start with = or ~")
    answers = [_answer(line, mark, piece) for mark, piece in parts]
    if all(a.match for a in answers):
        return GiftQuestion(line, title, text, "matching", tuple(answers), general=general)
    if any(a.match for a in answers):
        raise GiftError(line, "every answer of a matching question needs ->")
    if all(mark == "=" for mark, _ in parts):  # only right answers: a short answer question
        return GiftQuestion(line, title, text, "short", tuple(answers), general=general)
    right = [a for a in answers if a.weight > 0]
    if not right:
        raise GiftError(line, "no answer is right (use = or a positive %weight%)")
    several = len(right) > 1 or any(0 < a.weight < 100 for a in answers)
    return GiftQuestion(
        line, title, text, "choice", tuple(answers), general=general, several=several
    )


def _answer(line: int, mark: str, piece: str) -> GiftAnswer:
    weight = 100 if mark == "=" else 0
    found = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", piece)
    if found:
        weight = float(found.group(1))
        piece = piece[found.end() :]
    pieces = _split(piece, "#")
    body, feedback = pieces[0][1], unescape("#".join(t for _, t in pieces[1:]))
    arrow = body.find("->")
    if arrow >= 0:
        item, match = unescape(body[:arrow]), unescape(body[arrow + 2 :])
        if not item or not match:
            raise GiftError(line, "a matching pair needs text on both sides of ->")
        return GiftAnswer(item, weight, feedback, match=match)
    answer = unescape(body)
    if not answer:
        raise GiftError(line, "an answer is empty")
    return GiftAnswer(answer, weight, feedback)


def _numeric(line: int, title: str, text: str, inner: str, general: str) -> GiftQuestion:
    parts = [(m, t) for m, t in _split(inner, "=~") if m or t.strip()]
    if parts and parts[0][0] == "":  # "{#3.14:0.01}": one answer, no =
        parts = [("=", parts[0][1]), *parts[1:]]
    answers = []
    for mark, piece in parts:
        answer = _answer(line, mark, piece)
        value = answer.text
        try:
            if ".." in value:
                low, high = value.split("..", 1)
                answers.append(
                    GiftAnswer(str(float(low)), answer.weight, answer.feedback, high=float(high))
                )
            else:
                number, _, tolerance = value.partition(":")
                answers.append(
                    GiftAnswer(str(float(number)), answer.weight, answer.feedback,
                               tolerance=float(tolerance or 0))
                )  # fmt: skip
        except ValueError:
            raise GiftError(
                line, f"“{value}” is not a number, a number:tolerance or min..max"
            ) from None
    if not any(a.weight == 100 for a in answers):
        raise GiftError(line, "a numeric question needs one fully right answer (=)")
    return GiftQuestion(line, title, text, "numeric", tuple(answers), general=general)


def write(questions: list[GiftQuestion]) -> str:
    """GIFT text that `parse` reads back to the same questions (line numbers aside)."""
    return "\n\n".join(_write_one(q) for q in questions) + "\n"


def _feedback(text: str) -> str:
    return f"#{escape(text)}" if text else ""


def _write_one(q: GiftQuestion) -> str:
    head = f"::{escape(q.title)}::" if q.title else ""
    general = f"####{escape(q.general)}" if q.general else ""
    if q.kind == "truefalse":
        feedback = ""
        if q.feedback_wrong or q.feedback_right:
            feedback = f"#{escape(q.feedback_wrong)}#{escape(q.feedback_right)}"
        inner = ("TRUE" if q.truth else "FALSE") + feedback
    elif q.kind == "numeric":
        inner = "#" + " ".join(_write_numeric(a) for a in q.answers)
    elif q.kind == "matching":
        inner = " ".join(f"={escape(a.text)} -> {escape(a.match)}" for a in q.answers)
    elif q.kind == "short":
        inner = " ".join(
            f"={_weight(a, 100)}{escape(a.text)}{_feedback(a.feedback)}" for a in q.answers
        )
    else:
        inner = " ".join(_write_choice(q, a) for a in q.answers)
    return f"{head}[markdown]{escape(q.text)} {{{inner}{general}}}"


def _weight(answer: GiftAnswer, plain: float) -> str:
    return "" if answer.weight == plain else f"%{_percent(answer.weight)}%"


def _percent(weight: float) -> str:
    """33.33333 for a third, as Moodle lists its grades; whole numbers without a point."""
    return f"{round(weight, 5):g}"


def _write_choice(q: GiftQuestion, answer: GiftAnswer) -> str:
    if not q.several:
        mark = "=" if answer.weight == 100 else "~"
        return f"{mark}{escape(answer.text)}{_feedback(answer.feedback)}"
    return f"~%{_percent(answer.weight)}%{escape(answer.text)}{_feedback(answer.feedback)}"


def _write_numeric(answer: GiftAnswer) -> str:
    value = (
        f"{_num(float(answer.text))}..{_num(answer.high)}"
        if answer.high is not None
        else f"{_num(float(answer.text))}:{_num(answer.tolerance)}"
    )
    return f"={_weight(answer, 100)}{value}{_feedback(answer.feedback)}"


def _num(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else repr(value)
