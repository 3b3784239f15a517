"""The class report written out: Markdown (to read), CSV (for a spreadsheet), HTML (to print).

    markdown(room) -> str        csv_rows(room, by) -> [[str]]        html(room) -> str

The HTML page is self-contained (its style inline, no scripts, no fonts or images to fetch) and
made for paper: black on white, bars drawn with CSS that print in colour or grey, each section
on a new page, table headers repeated and rows never split across pages.
"""
from __future__ import annotations

from html import escape

from .classroom import Classroom, Student

CSV_TABLES = ("student", "fact", "question")


def markdown(room: Classroom) -> str:
    out = [f"# Class report: {room.title}", "", _summary(room), "",
           "## Students", "",
           "| Student | Facts found | Endings | Review answers right | Before | After | Gain |",
           "|---|---|---|---|---|---|---|"]
    for s in room.students:
        out.append(f"| {_cell(s.name)} | {s.facts_found} of {room.facts_total} | {_endings(s, room)} | "
                   f"{_ratio(s.right, s.asked)} | {_check(s.before, s)} | {_check(s.after, s, False)} | {_gain(s)} |")
    out += ["", "## Facts: found by how many", "", "| Fact | Chapter | Found by |", "|---|---|---|"]
    n = len(room.students)
    out += [f"| {_cell(f.title)} (`{f.id}`) | {f.chapter} | {f.found_by} of {n} |" for f in room.facts]
    checked = [q for q in room.questions if q.in_check]
    if checked:
        out += ["", "## Before and after, question by question", "", _of_both(room), "",
                "| Question | Right before | Right after |", "|---|---|---|"]
        took = len(room.both_checks)
        out += [f"| {_cell(q.ask)} | {q.before_right} of {took} | {q.after_right} of {took} |" for q in checked]
    out += ["", "## Questions: answered right by how many", "",
            "| Question | Fact | Answered by | Right (last answer) |", "|---|---|---|---|"]
    out += [f"| {_cell(q.ask)} | `{q.fact}` | {q.answered_by} of {n} | "
            f"{f'{q.right_by} of {q.answered_by}' if q.answered_by else '–'} |" for q in room.questions]
    if room.skipped:
        out += ["", "## Left out", ""] + [f"- {_cell(line)}" for line in room.skipped]
    return "\n".join(out) + "\n"


Row = list[str | int]


def csv_rows(room: Classroom, by: str = "student") -> list[Row]:
    """One table: a row per student (the default), per fact, or per question."""
    n = len(room.students)
    rows: list[Row]
    if by == "fact":
        rows = [[f.id, f.title, f.chapter, f.found_by, n] for f in room.facts]
        return [["fact", "title", "chapter", "found_by", "students"], *rows]
    if by == "question":
        rows = [[q.key, q.fact, q.ask, q.answered_by, q.right_by, n, "yes" if q.in_check else "no",
                 q.before_right if q.in_check else "", q.after_right if q.in_check else ""] for q in room.questions]
        return [["question", "fact", "ask", "answered_by", "right_by", "students", "in_check", "before_right",
                 "after_right"], *rows]
    rows = [[s.name, s.facts_found, room.facts_total, len(s.endings), room.endings_total, "; ".join(s.endings),
             s.asked, s.right, s.check_size, _blank(s.before), _blank(s.after), _blank(s.gain)] for s in room.students]
    return [["student", "facts_found", "facts_total", "endings_reached", "endings_total", "endings", "review_asked",
             "review_right", "check_questions", "before", "after", "gain"], *rows]


def _summary(room: Classroom) -> str:
    n = len(room.students)
    head = f"{n} student{'s' * (n != 1)}."
    gain, took = room.average_gain, len(room.both_checks)
    if gain is None:
        return head + " No student has taken both the before- and the after-check yet."
    return (head + f" Class average gain: {gain:+.1f} of {room.check_size} questions, from "
            f"{room.average('before') or 0:.1f} before the story to {room.average('after') or 0:.1f} after it "
            f"({took} student{'s' * (took != 1)} took both checks).")


def _of_both(room: Classroom) -> str:
    took = len(room.both_checks)
    return f"Of the {took} student{'s' * (took != 1)} who took both checks." if took != 1 else \
        "Of the one student who took both checks."


def _ratio(right: int, asked: int) -> str:
    return f"{right} of {asked} ({round(100 * right / asked)}%)" if asked else "none yet"


def _check(value: int | None, s: Student, first: bool = True) -> str:
    if not s.check_size:
        return "skipped" if s.skipped and first else "–"
    return "not taken" if value is None else f"{value} of {s.check_size}"


def _gain(s: Student) -> str:
    return "–" if s.gain is None else f"{s.gain:+d}"


def _endings(s: Student, room: Classroom) -> str:
    return f"{len(s.endings)} of {room.endings_total}" + (": " + "; ".join(map(_cell, s.endings)) if s.endings else "")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _blank(value: int | None) -> int | str:
    return "" if value is None else value


# --- HTML -----------------------------------------------------------------------------------

STYLE = """
body { font: 11pt/1.4 Georgia, 'Times New Roman', serif; color: #111; background: #fff; margin: 2em auto;
       max-width: 60em; padding: 0 1em; }
h1 { font-size: 18pt; margin: 0 0 .2em; } h2 { font-size: 14pt; margin: 1.6em 0 .5em; }
p.summary { font-size: 12pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #bbb; padding: .25em .5em; text-align: left; vertical-align: top; }
th { border-bottom: 2px solid #333; font-weight: bold; }
td.n { white-space: nowrap; } td.endings { min-width: 9em; }
table.students .bar { width: 4.5em; }
.bar { display: inline-block; width: 8em; height: .8em; border: 1px solid #555; background: #fff;
       vertical-align: middle; margin-right: .4em; }
.bar > span { display: block; height: 100%; background: #3b6ea8; }
.bar.before > span { background: #b9b9b9; } .bar.after > span { background: #2e7d4f; }
.chart { margin: .6em 0 1em; } .chart .bar { width: 20em; height: 1.1em; }
.chart div { margin: .2em 0; } .chart b { display: inline-block; width: 11em; font-weight: normal; }
ul.left-out { color: #333; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@page { margin: 1.5cm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  section.page { break-before: page; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
}
"""


def html(room: Classroom) -> str:
    n = len(room.students)
    size = room.check_size
    parts = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
             f"<title>Class report: {escape(room.title)}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
             f"<h1>Class report: {escape(room.title)}</h1>", f'<p class="summary">{escape(_summary(room))}</p>']
    if room.average_gain is not None:
        parts += ['<div class="chart" aria-label="class average before and after">',
                  f"<div><b>Before the story</b>{_bar(room.average('before') or 0, size, 'before')}"
                  f"{room.average('before') or 0:.1f} of {size}</div>",
                  f"<div><b>After the story</b>{_bar(room.average('after') or 0, size, 'after')}"
                  f"{room.average('after') or 0:.1f} of {size}</div>", "</div>"]
    parts += ["<h2>Students</h2>", '<table class="students">',
              f"<thead><tr><th>Student</th><th>Facts found</th><th>Endings reached (of {room.endings_total})</th>"
              "<th>Review answers right</th>"
              "<th>Before</th><th>After</th><th>Gain</th></tr></thead>", "<tbody>"]
    for s in room.students:
        parts.append(
            f"<tr><td>{escape(s.name)}</td>"
            f'<td class="n">{_bar(s.facts_found, room.facts_total)}{s.facts_found} of {room.facts_total}</td>'
            f'<td class="endings">{escape("; ".join(s.endings)) or "none yet"}</td>'
            f'<td class="n">{_bar(s.right, s.asked)}{escape(_ratio(s.right, s.asked))}</td>'
            f'<td class="n">{_check_cell(s.before, s, "before")}</td>'
            f'<td class="n">{_check_cell(s.after, s, "after")}</td>'
            f'<td class="n">{escape(_gain(s))}</td></tr>')
    parts += ["</tbody>", "</table>"]
    checked = [q for q in room.questions if q.in_check]
    if checked:
        took = len(room.both_checks)
        parts += ["<h2>Before and after, question by question</h2>",
                  f"<p>{escape(_of_both(room))}</p>", '<table class="check">',
                  "<thead><tr><th>Question</th><th>Right before</th><th>Right after</th></tr></thead>", "<tbody>"]
        parts += [f"<tr><td>{escape(q.ask)}</td><td class=\"n\">{_bar(q.before_right, took, 'before')}"
                  f"{q.before_right} of {took}</td><td class=\"n\">{_bar(q.after_right, took, 'after')}"
                  f"{q.after_right} of {took}</td></tr>" for q in checked]
        parts += ["</tbody>", "</table>"]
    parts += ['<section class="page">', "<h2>Facts: found by how many</h2>", '<table class="facts">',
              "<thead><tr><th>Fact</th><th>Chapter</th><th>Found by</th></tr></thead>", "<tbody>"]
    parts += [f"<tr><td>{escape(f.title)}</td><td>{escape(f.chapter)}</td>"
              f'<td class="n">{_bar(f.found_by, n)}{f.found_by} of {n}</td></tr>' for f in room.facts]
    parts += ["</tbody>", "</table>", "</section>",
              '<section class="page">', "<h2>Questions: answered right by how many</h2>",
              "<p>Right: the student's last answer to the question was right.</p>", '<table class="questions">',
              "<thead><tr><th>Question</th><th>Answered by</th><th>Right</th></tr></thead>", "<tbody>"]
    parts += [f"<tr><td>{escape(q.ask)}</td><td class=\"n\">{q.answered_by} of {n}</td>"
              f'<td class="n">{_right_cell(q.right_by, q.answered_by)}</td></tr>' for q in room.questions]
    parts += ["</tbody>", "</table>", "</section>"]
    if room.skipped:
        parts += ["<h2>Left out</h2>", '<ul class="left-out">',
                  *(f"<li>{escape(line)}</li>" for line in room.skipped), "</ul>"]
    parts += ["</body>", "</html>"]
    return "\n".join(parts) + "\n"


def _bar(value: float, total: float, kind: str = "") -> str:
    share = 100 * value / total if total else 0
    return (f'<span class="bar{" " + kind if kind else ""}" role="img" aria-label="{round(share)}%">'
            f'<span style="width: {share:.0f}%"></span></span>')


def _right_cell(right: int, answered: int) -> str:
    return _bar(right, answered) + f"{right} of {answered}" if answered else "–"


def _check_cell(value: int | None, s: Student, kind: str) -> str:
    words = _check(value, s, kind == "before")
    return escape(words) if value is None else _bar(value, s.check_size, kind) + escape(words)
