"""`budapest56 check`: lint warnings, source coverage, output formats and exit codes."""
from __future__ import annotations

import json

from budapest56 import load_story
from budapest56.analysis.lint import check
from budapest56.cli import main
from budapest56.play.screens import fact_block, short_date
from conftest import SCENE, SOURCE, STORY, write_story


def warnings(root) -> list[str]:
    report = check(str(root))
    assert report.errors == 0, [str(f) for f in report.findings]
    return [str(f) for f in report.findings]


def test_the_example_story_is_clean(in_tmp):
    assert warnings(write_story(in_tmp / "s")) == []


def test_unreachable_dead_end_and_orphan_fact(in_tmp):
    extra = SCENE.replace("facts:", """\
  - id: attic
    date: 1949
    place: The attic
    text: Dust.
facts:""") + """\
  - id: rebuilt
    title: Rebuilding
    summary: The city was rebuilt.
    quote: The city was rebuilt slowly.
    date: 1946
"""
    report = check(str(write_story(in_tmp / "s", {"scene.yaml": extra})))
    assert (report.errors, report.warnings) == (1, 2)
    assert [str(f) for f in report.findings] == [
        "s/scene.yaml:40:5: warning: node 'attic' cannot be reached from the start [unreachable-node]\n"
        "  hint: add a choice that goes to it, or remove it",
        "s/scene.yaml:40:5: error: node 'attic' has no choices and is not an ending: the player would be stuck "
        "there [dead-end]\n"
        "  hint: add 'choices:' with at least one choice, or 'ending: {title: ..., epilogue: ...}'",
        "s/scene.yaml:50:5: warning: no node or choice unlocks fact 'rebuilt' [orphan-fact]\n"
        "  hint: add 'unlock: [rebuilt]' to the node where the player learns it",
    ]


def test_flags_set_but_never_read_and_read_but_never_set(in_tmp):
    story = STORY.replace("  brave: You were brave.\n", "  brave: You were brave.\n  timid: You were timid.\n")
    scene = SCENE.replace("if: not brave", "if: not timid").replace("if: brave and courage", "if: courage").replace("if: brave\n        text:", "if: courage > 1\n        text:")
    found = warnings(write_story(in_tmp / "s", {"scene.yaml": scene}, story=story))
    assert found == [
        "s/scene.yaml:29:13: warning: flag 'timid' is read but nothing sets it [flag-never-set]\n"
        "  hint: set it with 'set:' on a node or choice",
        "s/story.yaml:16:3: warning: flag 'brave' is set but no condition reads it [flag-never-read]\n"
        "  hint: read it in an 'if:', or remove it",
    ]


def test_summary_may_not_add_numbers_or_months(in_tmp):
    scene = SCENE.replace("summary: The war was over in 1945.", "summary: The war was over in May 1945, after 2,000 days.")
    assert warnings(write_story(in_tmp / "s", {"scene.yaml": scene})) == [
        "s/scene.yaml:41:5: warning: summary of fact 'war_ended' says '2,000', 'May', which its quote does not "
        "[summary-adds-number]\n  hint: take '2,000' and 'May' out of the summary, or quote the source's words that give them"]


def test_dates_outside_the_period_and_running_backwards(in_tmp):
    scene = SCENE.replace("date: 1949\n    place: A yard", "date: 1944-12\n    place: A yard")
    assert warnings(write_story(in_tmp / "s", {"scene.yaml": scene})) == [
        "s/scene.yaml:9:15: warning: choice goes back in time from 1945 ('hall') to 1944-12 ('yard') "
        "[chronology-backwards]\n  hint: mark 'yard' with 'flashback: true' if that is meant",
        "s/scene.yaml:13:15: warning: choice goes back in time from 1945 ('hall') to 1944-12 ('yard') "
        "[chronology-backwards]\n  hint: mark 'yard' with 'flashback: true' if that is meant",
        "s/scene.yaml:14:5: warning: node 'yard' is dated 1944-12, outside the story's period 1945 to 1956-11-10 "
        "[date-out-of-period]",
        "s/scene.yaml:14:5: warning: node 'yard' (1944-12) unlocks fact 'war_ended', dated 1945: before it happened "
        "[fact-from-the-future]\n  hint: unlock it in a scene dated on or after the fact",
    ]
    marked = scene.replace("place: A yard", "place: A yard\n    flashback: true")
    assert [w.split(" [")[-1].split("]")[0] for w in warnings(write_story(in_tmp / "t", {"scene.yaml": marked}))] == [
        "date-out-of-period", "fact-from-the-future"]


def test_source_coverage_counts_whole_sentences(in_tmp):
    report = check(str(write_story(in_tmp / "s")))
    assert (report.coverage.covered, report.coverage.total) == (1, 3)
    assert [s.text for _, s in report.coverage.uncovered] == [
        "The city was rebuilt slowly.", "In 1949 a new state was declared."]


def test_human_output_and_exit_codes(in_tmp, capsys):
    root = write_story(in_tmp / "s")
    assert main(["check", "s"]) == 0
    assert capsys.readouterr().out == (
        "s: 3 nodes, 5 choices, 1 ending, 1 fact, 19 words\n"
        "source coverage: 1/3 sentences quoted\n"
        "  not quoted: source.txt:3: The city was rebuilt slowly.\n"
        "  not quoted: source.txt:3: In 1949 a new state was declared.\n"
        "no problems found\n")
    (root / "scene.yaml").write_text(SCENE.replace("    date: 1949\n    place: A yard", "    date: 1944\n    place: A yard"))
    assert main(["check", "s"]) == 0
    assert main(["check", "s", "--strict"]) == 1
    (root / "scene.yaml").write_text(SCENE.replace("goto: yard", "goto: yrd"))
    assert main(["check", "s"]) == 1
    assert "s/scene.yaml:9:15: error: choice goes to unknown node 'yrd' [dangling-target]" in capsys.readouterr().err


def test_json_output(in_tmp, capsys):
    root = write_story(in_tmp / "s", {"scene.yaml": SCENE.replace("goto: home\n        if: brave", "goto: hom\n        if: brave")})
    assert main(["check", str(root), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["findings"] == [{"severity": "error", "code": "dangling-target", "path": "s/scene.yaml",
                                 "line": 24, "column": 15, "message": "choice goes to unknown node 'hom'",
                                 "hint": "did you mean 'home'?"}]
    assert data["source_coverage"] is None
    write_story(root)
    assert main(["check", str(root), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["source_coverage"]["covered"] == 1 and data["source_coverage"]["total"] == 3
    assert data["source_coverage"]["uncovered"][0] == {"file": "source.txt", "line": 3, "sentence": 2,
                                                       "text": "The city was rebuilt slowly."}


def test_a_fact_may_not_be_learnt_before_it_happened(in_tmp):
    scene = SCENE.replace("    date: 1945\n    title", "    date: 1950\n    title").replace(
        "quote: The war ended in 1945.\n    date: 1945", "quote: The war ended in 1945.\n    date: 1950")
    assert warnings(write_story(in_tmp / "s", {"scene.yaml": scene})) == [
        "s/scene.yaml:14:5: warning: node 'yard' (1949) unlocks fact 'war_ended', dated 1950: before it happened "
        "[fact-from-the-future]\n  hint: unlock it in a scene dated on or after the fact"]


def dated(folder, date: str):
    """The example story with its one fact, 'war_ended', dated `date`."""
    old = "quote: The war ended in 1945.\n    date: 1945"
    return write_story(folder, {"scene.yaml": SCENE.replace(old, f"quote: The war ended in 1945.\n    date: {date}")})


def test_facts_may_span_years_when_the_source_gives_no_single_moment(in_tmp):
    root = dated(in_tmp / "s", "1945..1949")
    assert warnings(root) == []
    date = load_story(root).facts["war_ended"].date
    assert (str(date), date.human()) == ("1945..1949", "1945–1949")
    report = check(str(dated(in_tmp / "t", "1949..1945")))
    assert [str(f) for f in report.findings] == [
        "t/scene.yaml:45:11: error: '1949..1945' is not a date or a span of dates [bad-date]\n"
        "  hint: write 1949, 1955-04 or 1956-10-23, a span such as 1949..1956, or 1956.. for one with no end"]


def test_a_span_may_have_no_end_where_the_source_gives_none(in_tmp):
    root = dated(in_tmp / "s", "1945-05..")
    assert warnings(root) == []
    date = load_story(root).facts["war_ended"].date
    assert (str(date), date.human(), short_date(date)) == ("1945-05..", "May 1945 onwards", "May 1945 onwards")
    assert date.earliest == (1945, 5, 1) and date.latest > (9000, 1, 1)


def test_a_fact_heading_shows_its_span_short(in_tmp):
    fact = load_story(dated(in_tmp / "s", "1945-05-08..1945-09-02")).facts["war_ended"]
    text = "".join(part for _, part in fact_block(fact, 80, ornate=False))
    assert text.startswith("  From the record: The war ends (8 May–2 Sep 1945)\n  The war was over in 1945.\n")


def test_findings_come_file_by_file_and_top_to_bottom(in_tmp, capsys):
    # Lint finds by kind (reachability, then dates, then flags); the author reads them in file order.
    scene = SCENE.replace("date: 1949\n    place: A yard", "date: 1944-12\n    place: A yard").replace(
        "    text: Dust.\n", "").replace("facts:", "  - id: attic\n    date: 1949\n    place: The attic\n"
                                           "    text: Dust.\n    ending: {title: Dust, epilogue: Dust.}\nfacts:")
    write_story(in_tmp / "s", {"scene.yaml": scene})
    assert main(["check", "s"]) == 0
    assert [line.split(": warning")[0] for line in capsys.readouterr().out.splitlines() if ": warning" in line] == [
        "s/scene.yaml:9:15", "s/scene.yaml:13:15", "s/scene.yaml:14:5", "s/scene.yaml:14:5", "s/scene.yaml:40:5"]


def test_a_small_story_over_a_big_source_gets_one_coverage_line(in_tmp, capsys):
    source = SOURCE + "".join(f"Sentence number {n} is here.\n" for n in range(1, 12))
    write_story(in_tmp / "s", source=source)
    assert main(["check", "s"]) == 0
    assert capsys.readouterr().out == (
        "s: 3 nodes, 5 choices, 1 ending, 1 fact, 19 words\n"
        "source coverage: 1/14 sentences quoted (13 not quoted: --coverage lists them)\n"
        "no problems found\n")
    assert main(["check", "s", "--coverage"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:4] == ["source coverage: 1/14 sentences quoted",
                          "  not quoted: source.txt:3: The city was rebuilt slowly.",
                          "  not quoted: source.txt:3: In 1949 a new state was declared."]
    assert lines[-2:] == ["  not quoted: source.txt:14: Sentence number 11 is here.", "no problems found"]
