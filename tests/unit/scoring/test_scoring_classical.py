"""Classical statistics against hand-computed examples, distractor tables and review flags."""

from __future__ import annotations

import math

import numpy as np
import pytest

from assay.errors import ValidationFailed
from assay.scoring import classical
from assay.scoring.responses import Response, ResponseTable

# Four candidates, three right/wrong items: a perfect Guttman pattern.
#           q1 q2 q3   total
#   ana      1  1  1     3
#   ben      1  1  0     2
#   cleo     1  0  0     1
#   dev      0  0  0     0
GUTTMAN = {"ana": (1, 1, 1), "ben": (1, 1, 0), "cleo": (1, 0, 0), "dev": (0, 0, 0)}


def guttman_table() -> ResponseTable:
    return ResponseTable.from_responses(
        Response(candidate, f"q{i + 1}", float(score), seconds=30.0 * (i + 1))
        for candidate, scores in GUTTMAN.items()
        for i, score in enumerate(scores)
    )


def test_alpha_and_sem_match_the_hand_computation() -> None:
    # Item variances (n − 1): 0.25, 1/3, 0.25, sum 5/6; total variance 5/3.
    # alpha = 3/2 · (1 − (5/6)/(5/3)) = 0.75; SEM = √(5/3) · √0.25.
    reliability = classical.form_reliability(guttman_table())

    assert reliability is not None
    assert reliability.alpha == pytest.approx(0.75)
    assert reliability.sem == pytest.approx(math.sqrt(5 / 3) * 0.5)
    assert reliability.candidates == 4
    assert classical.cronbach_alpha([[1, 1, 1], [1, 1, 0], [1, 0, 0], [0, 0, 0]]) == 0.75


def test_alpha_is_undefined_without_complete_rows() -> None:
    table = ResponseTable.from_responses(
        [Response("a", "q1", 1), Response("a", "q2", 0), Response("b", "q1", 0)]
    )

    assert classical.form_reliability(table) is None
    assert math.isnan(classical.cronbach_alpha([[1, 0]]))


def test_p_values_corrected_point_biserial_and_time() -> None:
    # q1 against the rest (q2 + q3 = 2, 1, 0, 0): r = 0.75 / √(0.75 · 2.75).
    statistics = {s.id: s for s in classical.item_statistics(guttman_table())}

    assert statistics["q1"].p_value == pytest.approx(0.75)
    assert statistics["q2"].p_value == pytest.approx(0.5)
    assert statistics["q1"].discrimination == pytest.approx(0.75 / math.sqrt(0.75 * 2.75))
    # q2 against q1 + q3 = 2, 1, 1, 0: r = 1 / √(1 · 2) by the same arithmetic.
    assert statistics["q2"].discrimination == pytest.approx(1 / math.sqrt(2))
    assert statistics["q3"].mean_seconds == pytest.approx(90.0)
    assert statistics["q1"].responses == 4


def test_rest_score_is_a_proportion_of_each_candidates_own_form() -> None:
    # eve saw only q1 and q2; her rest score on q1 is 1/1, not 1/2.
    rows = [
        Response(candidate, f"q{i + 1}", float(score))
        for candidate, scores in GUTTMAN.items()
        for i, score in enumerate(scores)
    ] + [Response("eve", "q1", 0.0), Response("eve", "q2", 1.0)]
    table = ResponseTable.from_responses(rows)

    q1 = classical.item_statistics(table)[0]

    # q1 = 1,1,1,0,0 against rest proportions 1, .5, 0, 0, 1: r = 0 exactly. Rest *sums*
    # (2, 1, 0, 0, 1) would have given a positive r and penalised the shorter form.
    assert q1.discrimination == pytest.approx(0.0, abs=1e-12)
    by_sums = classical.pearson(np.array([1.0, 1, 1, 0, 0]), np.array([2.0, 1, 0, 0, 1]))
    assert by_sums > 0.3


def test_partial_credit_p_value_uses_the_declared_maximum() -> None:
    table = ResponseTable.from_responses(
        [Response("a", "essay", 3.0), Response("b", "essay", 1.0), Response("c", "essay", 2.0)]
    )

    (essay,) = classical.item_statistics(table, declared_max={"essay": 4.0})

    assert essay.p_value == pytest.approx(0.5)
    assert essay.max_score == 4.0


def ten_candidate_choice_item(key_choice: str = "b") -> ResponseTable:
    """Ten candidates ranked by four filler items; on "pick" strong ones choose c, weak ones b."""
    rows: list[Response] = []
    picks = ["c", "c", "c", "b", "c", "b", "a", "b", "b", "b"]  # best candidate first
    for rank in range(10):
        candidate = f"cand-{rank}"
        right_on_filler = 10 - rank  # out of 10 filler items: a clear ranking
        rows.extend(
            Response(candidate, f"filler-{i}", 1.0 if i < right_on_filler else 0.0)
            for i in range(10)
        )
        rows.append(
            Response(
                candidate,
                "pick",
                1.0 if picks[rank] == key_choice else 0.0,
                choice=picks[rank],
            )
        )
    return ResponseTable.from_responses(rows)


def test_distractor_table_counts_the_upper_and_lower_27_percent() -> None:
    (pick,) = classical.distractor_tables(
        ten_candidate_choice_item(), options={"pick": ["a", "b", "c", "d"]}
    )

    assert pick.upper_group == pick.lower_group == 3  # round(0.27 · 10)
    by_option = {option.option: option for option in pick.options}
    assert [option.option for option in pick.options] == ["a", "b", "c", "d"]
    assert by_option["b"].is_key
    assert (by_option["c"].picked, by_option["c"].upper, by_option["c"].lower) == (4, 3, 0)
    # cand-3 (b, right) ties cand-2 (c) on 8/11 and stays below it: ties keep response order.
    assert (by_option["b"].picked, by_option["b"].upper, by_option["b"].lower) == (5, 0, 3)
    assert (by_option["a"].picked, by_option["a"].upper, by_option["a"].lower) == (1, 0, 0)
    assert by_option["d"].picked == 0
    assert by_option["c"].upper_share == pytest.approx(1.0)


def test_a_miskeyed_item_raises_the_check_the_key_flags() -> None:
    table = ten_candidate_choice_item(key_choice="b")
    statistics = classical.item_statistics(table)
    distractors = classical.distractor_tables(table, options={"pick": ["a", "b", "c", "d"]})

    flags = {(flag.item, flag.code) for flag in classical.flag_items(statistics, distractors)}

    assert ("pick", "negative_discrimination") in flags
    assert ("pick", "strong_distractor") in flags  # c: 100 % of the upper group, key 0 %
    assert ("pick", "unused_distractor") in flags  # d: nobody
    messages = [f.message for f in classical.flag_items(statistics, distractors)]
    assert any("check the key" in message for message in messages)


def test_the_correctly_keyed_item_raises_no_discrimination_flag() -> None:
    table = ten_candidate_choice_item(key_choice="c")

    flags = classical.flag_items(
        classical.item_statistics(table), classical.distractor_tables(table)
    )

    assert [flag for flag in flags if flag.item == "pick"] == []


def test_difficulty_and_low_discrimination_flags() -> None:
    def stats(item: str, p: float, r: float) -> classical.ItemStatistics:
        return classical.ItemStatistics(item, 100, 1.0, p, r, None)

    flags = classical.flag_items(
        [
            stats("easy", 0.97, 0.3),
            stats("hard", 0.05, 0.3),
            stats("flat", 0.5, 0.10),
            stats("fine", 0.5, 0.40),
            stats("edge", 0.95, 0.15),  # exactly on both thresholds: not flagged
            stats("unknown", 0.5, math.nan),
        ]
    )

    assert [(flag.item, flag.code) for flag in flags] == [
        ("easy", "too_easy"),
        ("hard", "too_hard"),
        ("flat", "low_discrimination"),
    ]


def test_strong_distractor_by_upper_versus_lower_share() -> None:
    def option(name: str, key: bool, upper: float, lower: float) -> classical.OptionCount:
        return classical.OptionCount(name, key, 10, 0, 0, 0.25, upper, lower)

    table = classical.DistractorTable(
        item="q",
        responses=40,
        upper_group=11,
        lower_group=11,
        key_known=True,
        options=(
            option("a", True, 0.7, 0.3),
            option("b", False, 0.2, 0.1),  # strong candidates like it more than weak ones
            option("c", False, 0.1, 0.6),  # a healthy distractor
        ),
    )

    flags = classical.flag_items([classical.ItemStatistics("q", 40, 1, 0.5, 0.4, None)], [table])

    assert [(flag.code, flag.message.split()[1]) for flag in flags] == [("strong_distractor", "b")]


def test_candidate_score_is_the_proportion_with_a_binomial_error() -> None:
    scores = {s.candidate: s for s in classical.candidate_scores(guttman_table())}

    ben = scores["ben"]
    assert ben.score == pytest.approx(2 / 3)
    shrunk = (2 + 0.5) / 4  # (n p + ½) / (n + 1) with n = 3
    assert ben.se == pytest.approx(math.sqrt(shrunk * (1 - shrunk) / 3))
    assert scores["ana"].score == 1.0
    # A perfect score on three items is far from certain: p̃ = 3.5 / 4.
    assert scores["ana"].se == pytest.approx(math.sqrt(0.875 * 0.125 / 3))


def test_skill_scores_follow_the_weights() -> None:
    table = ResponseTable.from_responses(
        [Response("ana", "a", 1.0), Response("ana", "b", 0.0), Response("ana", "c", 1.0)]
    )
    weights = {"a": {"sql": 1.0}, "b": {"sql": 1.0, "python": 1.0}, "c": {"python": 2.0}}

    scores = {s.skill: s for s in classical.skill_scores(table, weights)}

    assert scores["sql"].score == pytest.approx(0.5)
    assert scores["sql"].se == pytest.approx(math.sqrt(0.25 / 2))
    assert scores["python"].score == pytest.approx(2 / 3)
    n_eff = 9 / 5  # (2 + 1)² / (2² + 1²)
    shrunk = (n_eff * 2 / 3 + 0.5) / (n_eff + 1)
    assert scores["python"].se == pytest.approx(math.sqrt(shrunk * (1 - shrunk) / n_eff))
    assert scores["python"].items == 2


def test_negative_skill_weights_are_refused() -> None:
    with pytest.raises(ValidationFailed, match="not negative"):
        classical.skill_scores(guttman_table(), {"q1": {"sql": -1.0}})


def test_multiple_answer_choices_count_each_selected_option() -> None:
    table = ResponseTable.from_responses(
        [
            Response("a", "pick-all", 1.0, choice="a,c"),
            Response("b", "pick-all", 1.0, choice="c, a"),
            Response("c", "pick-all", 0.0, choice="a"),
            Response("d", "pick-all", 0.0, choice="a,b,c"),
        ]
    )

    (pick,) = classical.distractor_tables(table)

    by_option = {option.option: option for option in pick.options}
    assert {name for name, option in by_option.items() if option.is_key} == {"a", "c"}
    assert (by_option["a"].picked, by_option["b"].picked, by_option["c"].picked) == (4, 1, 3)
    assert by_option["b"].share == pytest.approx(0.25)


def test_items_without_recorded_choices_have_no_distractor_table() -> None:
    assert classical.distractor_tables(guttman_table()) == []
