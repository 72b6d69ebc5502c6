"""The per-learner option order: stable for a learner, different between learners, pins stay."""

from __future__ import annotations

from app.catalog.schema import Option, Question, QuestionType
from app.services.option_order import learner_seed, options_for, shuffle_options

SECRET = "a test secret that is long enough to be real"


def options(n: int, pinned: tuple[int, ...] = ()) -> tuple[Option, ...]:
    return tuple(
        Option(chr(ord("a") + i), f"option {i}", i == 0, "", pinned=i in pinned) for i in range(n)
    )


def order(opts: tuple[Option, ...], learner: str, place: str = "m/l/q1") -> list[str]:
    return [o.key for o in shuffle_options(opts, secret=SECRET, learner=learner, place=place)]


def test_the_same_learner_always_gets_the_same_order() -> None:
    opts = options(6)
    assert order(opts, "user:1") == order(opts, "user:1")
    assert sorted(order(opts, "user:1")) == [o.key for o in opts]


def test_learners_questions_and_secrets_give_different_orders() -> None:
    opts = options(6)
    orders = {tuple(order(opts, f"user:{i}")) for i in range(20)}
    assert len(orders) > 10
    assert len({tuple(order(opts, "user:1", f"m/l/q{i}")) for i in range(20)}) > 10
    keyed = {
        tuple(o.key for o in shuffle_options(opts, secret=f"s{i}", learner="user:1", place="q"))
        for i in range(20)
    }
    assert len(keyed) > 10  # the order depends on the secret, so it cannot be worked out
    firsts = {order(opts, f"user:{i}")[0] for i in range(40)}
    assert len(firsts) >= 4  # the correct option "a" is not always first


def test_pinned_options_keep_their_place() -> None:
    opts = options(5, pinned=(4, 1))
    for i in range(30):
        seen = order(opts, f"user:{i}")
        assert seen[4] == "e" and seen[1] == "b"
        assert sorted(seen) == ["a", "b", "c", "d", "e"]


def test_no_learner_keeps_the_authors_order_and_signals_are_never_shuffled() -> None:
    opts = options(4)
    assert order(opts, "") == ["a", "b", "c", "d"]
    signals = Question("s", QuestionType.signals, "", opts, "")
    got = options_for(signals, "m", "l", secret=SECRET, learner="user:1")
    assert got == opts


def test_learner_seed_prefers_the_account_to_the_browser() -> None:
    assert learner_seed(7, "cookie") == "user:7"
    assert learner_seed(None, "cookie") == "browser:cookie"
    assert learner_seed(None, None) == ""
