"""GIFT questions <-> our question blocks (the YAML an author writes in a lesson).

Import fills what GIFT may leave out and our format requires, from the question itself: a
missing per-answer feedback becomes "Correct." or "Not correct.", and a missing general feedback
becomes an explanation that states the right answer. Partial-credit weights have no place here
(a question is right or wrong): a weighted answer counts as right when its weight is positive.
Export skips what GIFT cannot say (ordering questions, engine-drawn `signals`), naming each.
"""

from __future__ import annotations

import re
from typing import Any

from app.gift.syntax import GiftAnswer, GiftError, GiftQuestion

RIGHT, WRONG = "Correct.", "Not correct."
Spec = dict[str, Any]


def slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "-".join(words)[:60].strip("-") or "question"


def unique_id(base: str, taken: set[str]) -> str:
    candidate, n = base, 2
    while candidate in taken:
        candidate = f"{base}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def to_specs(
    questions: list[GiftQuestion], taken: set[str], prefix: str = "", notes: list[str] | None = None
) -> list[Spec]:
    """Question blocks for `questions`; ids are made from titles (or prompts), never reused.
    What our format cannot keep is said in `notes` as "line N: ..."."""
    specs = []
    for q in questions:
        if notes is not None:
            notes += [f"line {q.line}: {note}" for note in _losses(q)]
        base = slug(f"{prefix} {q.title or q.text}")
        spec: Spec = {"id": unique_id(base, taken), **_body(q)}
        specs.append(spec)
    return specs


def _losses(q: GiftQuestion) -> list[str]:
    accepted = {a.feedback for a in q.answers if a.weight == 100 and a.feedback}
    if q.kind == "short" and len(accepted) > 1:
        return ["the accepted answers' own feedback became one: the first answer's"]
    if q.kind == "numeric" and any(a.high is not None for a in q.answers if a.weight < 100):
        return ["a wrong answer given as a range was left out: name wrong values one by one"]
    return []


def _feedback(right: str = "", wrong: str = "") -> dict[str, str]:
    return {"correct": right or RIGHT, "incorrect": wrong or WRONG}


def _body(q: GiftQuestion) -> Spec:
    if q.kind == "truefalse":
        statement = "true" if q.truth else "false"
        return {
            "type": "true-false",
            "prompt": q.text,
            "answer": bool(q.truth),
            "feedback": _feedback(q.feedback_right, q.feedback_wrong),
            "explanation": q.general or f"The statement is {statement}.",
        }
    if q.kind == "choice":
        right = [a for a in q.answers if a.weight > 0]
        return {
            "type": "multiple" if q.several else "single",
            "prompt": q.text,
            "options": [_option(a) for a in q.answers],
            "explanation": q.general or _stating(right),
        }
    if q.kind == "short":
        accepted = [a for a in q.answers if a.weight == 100]
        wrong = [a for a in q.answers if a.weight < 100]
        spec: Spec = {
            "type": "short-text",
            "prompt": q.text,
            "accept": [a.text for a in accepted],
            "feedback": _feedback(accepted[0].feedback if accepted else ""),
            "explanation": q.general or _stating(accepted),
        }
        if wrong:
            spec["wrong"] = [{"answer": a.text, "feedback": a.feedback or WRONG} for a in wrong]
        return spec
    if q.kind == "numeric":
        return _numeric(q)
    categories = list(dict.fromkeys(a.match for a in q.answers))
    return {
        "type": "matching",
        "prompt": q.text,
        "categories": categories,
        "items": [{"text": a.text, "category": a.match} for a in q.answers],
        "feedback": _feedback(),
        "explanation": q.general or "; ".join(f"{a.text}: {a.match}" for a in q.answers) + ".",
    }


def _option(answer: GiftAnswer) -> Spec:
    right = answer.weight > 0
    return {
        "text": answer.text,
        "correct": right,
        "feedback": answer.feedback or (RIGHT if right else WRONG),
    }


def _stating(right: list[GiftAnswer]) -> str:
    texts = [a.text for a in right]
    if not texts:
        return "See the feedback on each answer."
    return ("The answer is: " if len(texts) == 1 else "The answers are: ") + "; ".join(texts) + "."


def _numeric(q: GiftQuestion) -> Spec:
    full = [a for a in q.answers if a.weight == 100]
    if len(full) != 1:
        raise GiftError(q.line, "a numeric question needs exactly one fully right answer here")
    right = full[0]
    spec: Spec = {"type": "numeric", "prompt": q.text}
    if right.high is not None:
        spec["range"] = [float(right.text), right.high]
        shown = f"from {float(right.text):g} to {right.high:g}"
    else:
        spec["answer"] = float(right.text)
        if right.tolerance:
            spec["tolerance"] = right.tolerance
        shown = f"{float(right.text):g}" + (f" ± {right.tolerance:g}" if right.tolerance else "")
    wrong = [a for a in q.answers if a is not right and a.high is None]
    if wrong:
        spec["wrong"] = [
            {"value": float(a.text), **({"tolerance": a.tolerance} if a.tolerance else {}),
             "feedback": a.feedback or WRONG}
            for a in wrong
        ]  # fmt: skip
    spec["feedback"] = _feedback(right.feedback)
    spec["explanation"] = q.general or f"The answer is {shown}."
    return spec


def from_spec(spec: Spec, line: int = 0) -> GiftQuestion | str:
    """The GIFT form of one question block, or why GIFT cannot say it."""
    kind, prompt = spec.get("type"), str(spec.get("prompt", ""))
    title, general = str(spec.get("id", "")), str(spec.get("explanation", ""))
    feedback = spec.get("feedback") or {}
    if kind in ("single", "multiple"):
        options = spec.get("options") or []
        several = kind == "multiple"
        right = sum(1 for o in options if o.get("correct"))
        answers = tuple(
            GiftAnswer(
                str(o["text"]),
                (100 / max(right, 1) if o.get("correct") else -100)
                if several
                else (100 if o.get("correct") else 0),
                str(o.get("feedback", "")),
            )
            for o in options
        )
        return GiftQuestion(
            line, title, prompt, "choice", answers, general=general, several=several
        )
    if kind == "true-false":
        return GiftQuestion(
            line, title, prompt, "truefalse", truth=bool(spec.get("answer")),
            feedback_wrong=str(feedback.get("incorrect", "")),
            feedback_right=str(feedback.get("correct", "")), general=general,
        )  # fmt: skip
    if kind == "short-text":
        if spec.get("pattern"):
            return f"{title}: a short-text pattern has no GIFT equivalent"
        right = str(feedback.get("correct", ""))
        answers = [GiftAnswer(str(t), 100, right) for t in spec.get("accept") or []]
        answers += [
            GiftAnswer(str(w["answer"]), 0, str(w["feedback"])) for w in spec.get("wrong") or []
        ]
        return GiftQuestion(line, title, prompt, "short", tuple(answers), general=general)
    if kind == "numeric":
        if spec.get("range") is not None:
            low, high = spec["range"]
            first = GiftAnswer(
                str(float(low)), 100, str(feedback.get("correct", "")), high=float(high)
            )
        else:
            first = GiftAnswer(
                str(float(spec["answer"])), 100, str(feedback.get("correct", "")),
                tolerance=float(spec.get("tolerance") or 0),
            )  # fmt: skip
        others = tuple(
            GiftAnswer(str(float(w["value"])), 0, str(w["feedback"]),
                       tolerance=float(w.get("tolerance") or 0))
            for w in spec.get("wrong") or []
        )  # fmt: skip
        return GiftQuestion(line, title, prompt, "numeric", (first, *others), general=general)
    if kind == "matching":
        answers = tuple(
            GiftAnswer(str(i["text"]), 100, match=str(i["category"]))
            for i in spec.get("items") or []
        )
        return GiftQuestion(line, title, prompt, "matching", answers, general=general)
    return f"{title}: a '{kind}' question has no GIFT equivalent"
