"""extractor.scoring: each rule of the contract's scoring, with figures worked out by hand."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from extractor.models import ContractError, Document, load_document
from extractor.scoring import figures, render_table, run_eval, score_dirs, score_document

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "golden"


# ---------------------------------------------------------------- builders

def ind(name, level1="产出指标", level2="数量指标", target="≥2次", actual="3次", weight=10.0, score=10.0, note=None):
    return dict(level1=level1, level2=level2, name=name, target=target, actual=actual,
                weight=weight, score=score, note=note)


def report(name="医保网络维护费", kind="project", indicators=None, goals=None,
           funds=(100.0, 95.0, 95.0), score=98.0, unit="某区医疗保障局", year=2021):
    return dict(kind=kind, name=name, unit=unit, year=year,
                funds=dict(budget=funds[0], executed=funds[1], rate=funds[2]), score=score,
                goals=goals if goals is not None else [dict(target="完成网络维护", actual="已完成网络维护")],
                indicators=indicators if indicators is not None else [])


def doc(*reports, stem="d1"):
    return dict(document=stem, reports=list(reports))


def base_doc(stem="d1"):
    """Two reports, five indicators, two goals: the baseline every perturbation starts from."""
    return doc(
        report("医保网络维护费", indicators=[
            ind("网络维护次数", target="≥12次", actual="12次"),
            ind("系统正常运行率", level2="质量指标", target="≥90%", actual="100%"),
            ind("群众满意度", level1="满意度指标", level2="服务对象满意度指标", target="≥90%", actual="95%"),
        ]),
        report("中央财政医疗服务与保障能力提升补助资金", kind="transfer", score=None, indicators=[
            ind("宣传活动次数", target="不少于2次", actual="2次", weight=None, score=None),
            ind("培训次数", target="2次", actual="3次", weight=None, score=None),
        ], goals=[dict(target="目标1:提升医保信息化水平", actual="基本实现")]),
        stem=stem,
    )


def score(gold: dict, pred: dict | None):
    tally, misses = score_document(gold["document"], Document.model_validate(gold),
                                   None if pred is None else Document.model_validate(pred))
    return figures(tally), tally, misses


def write(folder: Path, data: dict, stem: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem or data['document']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def assert_all_perfect(figs: dict):
    for key, value in figs.items():
        assert value is None or value == pytest.approx(1.0), key


# ---------------------------------------------------------------- identity

def test_identity_scores_one():
    gold = base_doc()
    figs, tally, misses = score(gold, copy.deepcopy(gold))
    assert_all_perfect(figs)
    assert figs["strict_indicator_f1"] == 1.0 and figs["goal_similarity"] == 1.0
    assert (tally.gold_indicators, tally.paired_indicators, tally.strict_indicators) == (5, 5, 5)
    assert misses == []


def test_golden_scores_one_against_itself(capsys):
    if not sorted(GOLDEN.glob("*.json")):
        pytest.skip("no golden/*.json written yet")
    scores = score_dirs(GOLDEN, GOLDEN)
    assert len(scores.documents) == len(sorted(GOLDEN.glob("*.json")))
    assert scores.misses == [] and scores.warnings == []
    assert_all_perfect(scores.overall)
    for figs in scores.per_document.values():
        assert_all_perfect(figs)
    assert run_eval(GOLDEN, GOLDEN) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "strict_indicator_f1=1.000"


# ---------------------------------------------------------------- text-field rules

@pytest.mark.parametrize("golden_target, predicted_target", [
    ("=100%", "100%"),           # missing operator means =
    ("100.0%", "100%"),
    ("不少于120场", "≥120场"),    # operator words
    ("90%以上", "≥90%"),
    ("1,286,400元", "1286400元"),  # thousands separators
])
def test_equivalent_targets_match(golden_target, predicted_target):
    gold = base_doc()
    gold["reports"][0]["indicators"][0]["target"] = golden_target
    pred = copy.deepcopy(gold)
    pred["reports"][0]["indicators"][0]["target"] = predicted_target
    figs, _, misses = score(gold, pred)
    assert figs["indicator_target_accuracy"] == 1.0
    assert figs["strict_indicator_f1"] == 1.0
    assert misses == []


def test_sentence_does_not_match_bare_number():
    # Golden actual is the sentence; predicting "100%" is a target/actual miss:
    # actual accuracy 4/5 = 0.8; strict correct 4 of 5 gold and 5 predicted -> P = R = F1 = 0.8.
    gold = base_doc()
    gold["reports"][0]["indicators"][1]["actual"] = "全年均正常运行，100%达到年初绩效目标。"
    pred = copy.deepcopy(gold)
    pred["reports"][0]["indicators"][1]["actual"] = "100%"
    figs, _, misses = score(gold, pred)
    assert figs["indicator_actual_accuracy"] == pytest.approx(0.8)
    assert figs["strict_indicator_f1"] == pytest.approx(0.8)
    assert [m.what for m in misses] == ["field actual"]


def test_number_tolerance():
    # weight 10 -> 10.009 passes; score 10 -> 10.02 on another indicator fails.
    # Weight accuracy: 3 golden weights (report 2 has none), all match -> 1.0.
    # Score accuracy: 2 of 3 -> 0.667.  Strict: 4 correct of 5 -> P = R = F1 = 0.8.
    gold = base_doc()
    pred = copy.deepcopy(gold)
    pred["reports"][0]["indicators"][0]["weight"] = 10.009
    pred["reports"][0]["indicators"][1]["score"] = 10.02
    figs, _, _ = score(gold, pred)
    assert figs["indicator_weight_accuracy"] == 1.0
    assert figs["indicator_score_accuracy"] == pytest.approx(2 / 3)
    assert figs["strict_indicator_precision"] == pytest.approx(0.8)
    assert figs["strict_indicator_recall"] == pytest.approx(0.8)
    assert figs["strict_indicator_f1"] == pytest.approx(0.8)


def test_level_typos_and_brackets_are_canonicalised():
    gold = base_doc()
    gold["reports"][0]["indicators"][0]["level1"] = "产出指表"
    pred = copy.deepcopy(gold)
    pred["reports"][0]["indicators"][0]["level1"] = "产出指标（50分）"
    pred["reports"][0]["indicators"][0]["level2"] = "数量"
    pred["reports"][0]["indicators"][2]["level2"] = "满意度"
    figs, _, _ = score(gold, pred)
    assert figs["indicator_level1_accuracy"] == 1.0
    assert figs["indicator_level2_accuracy"] == 1.0


def test_level_mismatch_counts_but_is_not_strict():
    # level2 is not one of the strict fields: level2 accuracy 4/5, strict F1 stays 1.0.
    gold = base_doc()
    pred = copy.deepcopy(gold)
    pred["reports"][0]["indicators"][0]["level2"] = "质量指标"
    figs, _, _ = score(gold, pred)
    assert figs["indicator_level2_accuracy"] == pytest.approx(0.8)
    assert figs["strict_indicator_f1"] == 1.0


def test_null_golden_fields_are_not_scored():
    # Golden target/weight null on indicator 0: whatever the prediction says there costs nothing.
    # Target accuracy 4/4, weight accuracy over the 2 remaining golden weights = 1.0, strict 1.0.
    # A prediction null where golden states a value is a miss: note stated on indicator 1 only.
    gold = base_doc()
    gold["reports"][0]["indicators"][0].update(target=None, weight=None)
    gold["reports"][0]["indicators"][1]["note"] = "无偏差"
    pred = copy.deepcopy(gold)
    pred["reports"][0]["indicators"][0].update(target="完全不同的值", weight=99.0)
    pred["reports"][0]["indicators"][1]["note"] = None
    figs, tally, _ = score(gold, pred)
    assert tally.scored["indicator.target"] == 4 and figs["indicator_target_accuracy"] == 1.0
    assert tally.scored["indicator.weight"] == 2 and figs["indicator_weight_accuracy"] == 1.0
    assert figs["indicator_note_accuracy"] == 0.0  # 0 of the 1 golden note
    assert figs["strict_indicator_f1"] == 1.0      # note is not a strict field


def test_report_fields_funds_and_score():
    # Golden funds: report 1 (100, 95, 95), report 2 (100, 95, 95) -> 6 funds fields scored.
    # Prediction: budget 100.009 (ok), rate 94 on report 1 (wrong), executed on report 2 wrong.
    # Golden report 2 score null -> report score scored once, on report 1 (98 vs 97: wrong).
    # funds accuracy 4/6, budget 2/2, executed 1/2, rate 1/2, score 0/1.
    gold = base_doc()
    pred = copy.deepcopy(gold)
    pred["reports"][0]["funds"].update(budget=100.009, rate=94.0)
    pred["reports"][0]["score"] = 97.0
    pred["reports"][1]["funds"]["executed"] = 50.0
    pred["reports"][1]["score"] = 12.0
    figs, _, misses = score(gold, pred)
    assert figs["funds_accuracy"] == pytest.approx(4 / 6)
    assert figs["funds_budget_accuracy"] == 1.0
    assert figs["funds_executed_accuracy"] == 0.5 and figs["funds_rate_accuracy"] == 0.5
    assert figs["report_score_accuracy"] == 0.0
    assert sorted(m.what for m in misses) == ["field funds.executed", "field funds.rate", "field score"]


# ---------------------------------------------------------------- pairing

def test_same_name_under_two_level2_headings_pairs_one_to_one():
    # The same name under 数量指标 and 质量指标; the prediction lists them in the other order.
    # Pairing must follow the agreeing level2 (not position), so both targets match.
    rows = [ind("医保信息系统响应", level2="数量指标", target="2次", actual="2次"),
            ind("医保信息系统响应", level2="质量指标", target="≤30分钟", actual="30分钟")]
    gold = doc(report(indicators=rows))
    pred = doc(report(indicators=list(reversed(copy.deepcopy(rows)))))
    figs, tally, misses = score(gold, pred)
    assert tally.paired_indicators == 2
    assert figs["indicator_target_accuracy"] == 1.0 and figs["indicator_level2_accuracy"] == 1.0
    assert figs["strict_indicator_f1"] == 1.0 and misses == []


def test_identical_rows_pair_by_position():
    # Three rows with the same name and levels: closest position pairs first, so targets line up.
    rows = [ind("培训人次", target=f"{n}人次", actual=f"{n}人次") for n in (10, 20, 30)]
    gold = doc(report(indicators=rows))
    figs, tally, _ = score(gold, copy.deepcopy(gold))
    assert tally.paired_indicators == 3 and figs["indicator_target_accuracy"] == 1.0


def test_similar_but_different_names_do_not_pair():
    # "网络维护次数" vs "网络维护费用" is ratio 83 < 90: a missed and an extra indicator.
    # Indicators: gold 5, predicted 5, paired 4 -> P = R = F1 = 0.8.
    gold = base_doc()
    pred = copy.deepcopy(gold)
    pred["reports"][0]["indicators"][0]["name"] = "网络维护费用"
    figs, _, misses = score(gold, pred)
    assert figs["indicator_f1"] == pytest.approx(0.8)
    assert sorted(m.what for m in misses) == ["extra indicator", "missing indicator"]


def test_report_of_wrong_kind_is_unpaired():
    # Report 2 predicted as `project` instead of `transfer`: it cannot pair.
    # Reports: gold 2, pred 2, paired 1 -> P = R = F1 = 0.5.
    # Indicators: its 2 golden ones are missed, its 2 predicted ones are extra:
    # gold 5, pred 5, paired 3 -> P = R = F1 = 0.6; strict likewise 0.6.
    # Goals: 2 golden, only report 1's pairs -> similarity (1 + 0) / 2 = 0.5.
    gold = base_doc()
    pred = copy.deepcopy(gold)
    pred["reports"][1]["kind"] = "project"
    figs, tally, misses = score(gold, pred)
    assert (tally.gold_reports, tally.pred_reports, tally.paired_reports) == (2, 2, 1)
    assert figs["report_f1"] == pytest.approx(0.5)
    assert figs["indicator_precision"] == pytest.approx(0.6) and figs["indicator_recall"] == pytest.approx(0.6)
    assert figs["strict_indicator_f1"] == pytest.approx(0.6)
    assert figs["goal_similarity"] == pytest.approx(0.5)
    # The unpaired reports are listed once each, with what they hold (not indicator by indicator).
    assert sorted(m.line() for m in misses) == [
        "d1 | extra report | project 中央财政医疗服务与保障能力提升补助资金 (2 indicators, 1 goals)",
        "d1 | missing report | transfer 中央财政医疗服务与保障能力提升补助资金 (2 indicators, 1 goals)"]


def test_reports_pair_one_to_one():
    # The prediction repeats report 1 (a duplicate of the same project): one pairs, one is extra.
    # Reports: gold 2, pred 3, paired 2 -> P = 2/3, R = 1, F1 = 0.8.
    # Indicators: pred 5 + 3 duplicated = 8, paired 5 -> P = 5/8, R = 1, F1 = 10/13.
    gold = base_doc()
    pred = copy.deepcopy(gold)
    pred["reports"].append(copy.deepcopy(gold["reports"][0]))
    figs, tally, _ = score(gold, pred)
    assert tally.paired_reports == 2
    assert figs["report_precision"] == pytest.approx(2 / 3) and figs["report_f1"] == pytest.approx(0.8)
    assert figs["indicator_precision"] == pytest.approx(5 / 8)
    assert figs["indicator_f1"] == pytest.approx(10 / 13)


def test_report_name_variant_pairs():
    # "医保网络维护费" vs "医保网络维护费项目": ratio 2*7/16 = 87.5 < 90 -> unpaired;
    # "中央财政医疗服务与保障能力提升补助资金" (19 chars) with one extra character: 2*19/39 = 97.4 -> pairs.
    gold = base_doc()
    pred = copy.deepcopy(gold)
    pred["reports"][0]["name"] = "医保网络维护费项目"
    pred["reports"][1]["name"] = "中央财政医疗服务与保障能力提升补助资金)"
    _, tally, misses = score(gold, pred)
    assert tally.paired_reports == 1
    assert [m.what for m in misses if "report" in m.what] == ["missing report", "extra report"]
    assert all("医保网络维护费" in m.where for m in misses if "report" in m.what)


def test_goals_pair_best_first_and_unpaired_count_zero():
    # Golden goals A, B; the prediction states only B (exactly): pairs B-B (similarity 1),
    # A unpaired counts 0 -> mean (1 + 0) / 2 = 0.5 over report 1; report 2's goal is exact.
    # Overall: (1 + 0 + 1) / 3 = 0.667.
    gold = base_doc()
    gold["reports"][0]["goals"] = [dict(target="目标一完成培训", actual="已完成"),
                                   dict(target="目标二网络维护", actual="已维护")]
    pred = copy.deepcopy(gold)
    pred["reports"][0]["goals"] = [dict(target="目标二网络维护", actual="已维护")]
    figs, tally, _ = score(gold, pred)
    assert (tally.gold_goals, tally.paired_goals) == (3, 2)
    assert figs["goal_similarity"] == pytest.approx(2 / 3)


def test_goal_similarity_is_character_ratio():
    # Golden "abcd"+"" (actual null: only target scored) vs predicted "abce": fuzz.ratio = 75.
    gold = doc(report(goals=[dict(target="abcd", actual=None)]))
    pred = doc(report(goals=[dict(target="abce", actual="whatever")]))
    figs, _, _ = score(gold, pred)
    assert figs["goal_similarity"] == pytest.approx(0.75)


# ---------------------------------------------------------------- directories and the command

def test_missing_prediction_document(tmp_path):
    # Gold: d1 (2 reports, 5 indicators), d2 (2 reports, 5 indicators). Prediction: only d1.
    # Reports: gold 4, pred 2, paired 2 -> P = 1, R = 0.5, F1 = 2/3.
    # Indicators: gold 10, pred 5, paired 5 -> P = 1, R = 0.5, F1 = 2/3.  d2's column is all 0.
    write(tmp_path / "gold", base_doc("d1"))
    write(tmp_path / "gold", base_doc("d2"))
    write(tmp_path / "pred", base_doc("d1"))
    scores = score_dirs(tmp_path / "gold", tmp_path / "pred")
    assert scores.overall["report_recall"] == 0.5 and scores.overall["report_f1"] == pytest.approx(2 / 3)
    assert scores.overall["indicator_f1"] == pytest.approx(2 / 3)
    assert scores.per_document["d2"]["report_f1"] == 0.0
    assert scores.per_document["d1"]["strict_indicator_f1"] == 1.0
    assert any(m.what == "missing prediction file" and m.document == "d2" for m in scores.misses)


def test_invalid_prediction_counts_as_empty(tmp_path, capsys):
    write(tmp_path / "gold", base_doc("d1"))
    bad = base_doc("d1")
    bad["reports"][0]["kind"] = "programme"
    write(tmp_path / "pred", bad)
    assert run_eval(tmp_path / "gold", tmp_path / "pred") == 0
    out, err = capsys.readouterr()
    warning = [line for line in err.splitlines() if "d1.json" in line]
    assert len(warning) == 1 and "reports.0.kind" in warning[0]
    assert out.splitlines()[-1] == "strict_indicator_f1=0.000"


@pytest.mark.parametrize("mutate, field_words", [
    (lambda d: d["reports"][0].update(kind="programme"), "reports.0.kind"),
    (lambda d: d["reports"][0]["indicators"][1].update(weight="十分"), "reports.0.indicators.1.weight"),
    (lambda d: d["reports"][1].pop("funds"), "reports.1.funds"),
    (lambda d: d["reports"][0]["indicators"][0].pop("note"), "reports.0.indicators.0.note"),
])
def test_bad_golden_file_names_file_and_field(tmp_path, capsys, mutate, field_words):
    data = base_doc("d1")
    mutate(data)
    path = write(tmp_path / "gold", data)
    with pytest.raises(ContractError) as err:
        load_document(path)
    assert str(path) in str(err.value) and field_words in str(err.value)
    write(tmp_path / "pred", base_doc("d1"))
    assert run_eval(tmp_path / "gold", tmp_path / "pred") == 2
    out, err_text = capsys.readouterr()
    assert out == "" and len(err_text.strip().splitlines()) == 1
    assert str(path) in err_text and field_words in err_text


def test_empty_golden_dir_is_a_user_mistake(tmp_path, capsys):
    (tmp_path / "gold").mkdir()
    (tmp_path / "pred").mkdir()
    assert run_eval(tmp_path / "gold", tmp_path / "pred") == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "no golden files" in err


def test_run_eval_prints_table_misses_and_json(tmp_path, capsys):
    # One target wrong out of 5: strict 4/5 -> 0.800 on the last line.
    gold = base_doc("d1")
    pred = copy.deepcopy(gold)
    pred["reports"][0]["indicators"][1]["target"] = "≥80%"
    pred["reports"][0]["indicators"].append(ind("额外指标"))
    write(tmp_path / "gold", gold)
    write(tmp_path / "pred", pred)
    json_path = tmp_path / "figures.json"
    assert run_eval(tmp_path / "gold", tmp_path / "pred", json_path=json_path, verbose=True) == 0
    out = capsys.readouterr().out.splitlines()
    # strict: 4 correct, 6 predicted, 5 gold -> P 2/3, R 0.8, F1 = 2*(2/3*0.8)/(2/3+0.8) = 0.727
    assert out[-1] == "strict_indicator_f1=0.727"
    assert any("field target" in line and "'≥90%'" in line and "'≥80%'" in line for line in out)
    assert any("extra indicator" in line and "额外指标" in line for line in out)
    assert any(line.startswith("STRICT INDICATOR F1") for line in out)
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["overall"]["strict_indicator_f1"] == pytest.approx(8 / 11)
    assert data["documents"]["d1"]["counts"]["pred_indicators"] == 6
    assert {m["what"] for m in data["misses"]} == {"field target", "extra indicator"}


def test_render_table_has_every_figure_and_document(tmp_path):
    write(tmp_path / "gold", base_doc("001_aaaa"))
    write(tmp_path / "gold", base_doc("002_bbbb"))
    scores = score_dirs(tmp_path / "gold", tmp_path / "gold")
    table = render_table(scores)
    header = table.splitlines()[0].split()
    assert header == ["figure", "overall", "001", "002"]
    for label in ("report F1", "funds accuracy", "report score accuracy", "indicator F1", "STRICT INDICATOR F1",
                  "indicator level1 accuracy", "indicator note accuracy", "goal similarity"):
        assert label in table
    assert len({len(line) for line in table.splitlines()[:-1]}) <= 2  # aligned columns


def test_extra_prediction_files_are_ignored(tmp_path):
    write(tmp_path / "gold", base_doc("d1"))
    write(tmp_path / "pred", base_doc("d1"))
    write(tmp_path / "pred", base_doc("unrelated"))
    (tmp_path / "pred" / "run.json").write_text("{}", encoding="utf-8")
    scores = score_dirs(tmp_path / "gold", tmp_path / "pred")
    assert [d.document for d in scores.documents] == ["d1"] and scores.warnings == []
    assert_all_perfect(scores.overall)
