"""Everything `budapest56 test` checks, gathered into one report: transcripts, random runs and
the exhaustive search, with every node, choice, fact, glossary term and ending judged as

    reached       some playthrough gets there (the witness is the shortest one found)
    unreachable   proved: by the complete search, or by the over-approximation (with its reason)
    undecided     the search stopped at its bound and no witness was found in time
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .. import engine
from ..analysis.bounds import Approx, a_trap, witness
from ..analysis.explore import Graph, Key, RandomReport, exhaustive, random_runs, state_key, traps
from ..analysis.routes import Routes, fact_routes
from ..analysis.settle import Settled, settle
from ..engine import State
from ..errors import Finding, Loc, StoryError
from ..story.model import Choice, Story
from . import transcripts

WITNESS_BUDGET = 20_000  # states a witness search may expand for each item it is aimed at
WITNESS_TOTAL = 500_000  # states all witness searches of one run may expand together
RANDOM_WITNESSES = 2_000  # random playthroughs tried first when the search stopped at its bound
RANDOM_STEPS = 200_000   # choices those playthroughs may make in all
SEEDS = 16               # states found earlier that an aimed search starts from, the nearest first


@dataclass(frozen=True)
class Item:
    kind: str                   # node, choice, fact, term, ending
    id: str                     # for a choice: "<node>#<number>", numbered from 1 in the file
    name: str                   # what an author recognises: a label, a title
    loc: Loc
    status: str                 # reached, unreachable, undecided
    reason: str = ""
    witness: tuple[int, ...] | None = None

    def finding(self) -> Finding:
        what = f"{self.kind} '{self.id}'" if self.kind != "choice" else f"choice '{self.name}' ('{self.id}')"
        if self.status != "unreachable":
            verb = "is undecided: neither reached nor proved unreachable"
        else:
            verb = {"choice": "is never taken", "fact": "is never unlocked"}.get(self.kind, "is never reached")
        return Finding("error", f"unreached-{self.kind}" if self.status == "unreachable" else "undecided",
                       self.loc, f"{what} {verb}", self.reason)


@dataclass
class Report:
    story: Story
    transcripts: list[transcripts.Result] = field(default_factory=list)
    random: RandomReport | None = None
    graph: Graph | None = None
    items: list[Item] = field(default_factory=list)     # every item, when the search ran
    soft_locks: list[Finding] = field(default_factory=list)
    cycles: list[Finding] = field(default_factory=list)
    errors: list[Finding] = field(default_factory=list)
    routes: Routes | None = None
    seconds: float = 0.0
    approx: Approx | None = field(default=None, repr=False)  # the search's over-approximation, shared

    def unreached(self, kind: str) -> list[Item]:
        return [i for i in self.items if i.kind == kind and i.status != "reached"]

    def failures(self) -> list[Finding]:
        out = [f for r in self.transcripts for f in r.failures]
        out += self.random.failures if self.random else []
        lost = {i.id for i in self.items if i.kind in ("node", "ending") and i.status != "reached"}
        # A choice of a node never reached says nothing new: the node's finding covers it.
        out += [i.finding() for i in self.items if i.status != "reached"
                and not (i.kind == "choice" and i.id.rsplit("#", 1)[0] in lost)]
        return out + self.soft_locks + self.cycles + self.errors

    @property
    def ok(self) -> bool:
        return not self.failures()


def run_transcripts(story: Story, folder: Path) -> list[transcripts.Result]:
    out = []
    for path in transcripts.find_transcripts(folder):
        try:
            t = transcripts.load_transcript(path)
        except StoryError as e:
            t = transcripts.Transcript(str(path), "", None, None, (), (), Loc(str(path)))
            out.append(transcripts.Result(t, e.findings, []))
            continue
        out.append(transcripts.run(story, t))
    return out


def run_random(report: Report, runs: int, seed: int, progress: Callable[[int], None] | None = None) -> None:
    report.random = random_runs(report.story, runs, seed, progress=progress)


def run_exhaustive(report: Report, max_states: int, progress: Callable[[int], None] | None = None) -> None:
    story = report.story
    g = report.graph = exhaustive(story, max_states, progress)
    locked_nodes: dict[str, int] = {}
    for i in g.soft_locks:  # one report per node: the shortest way into it
        locked_nodes.setdefault(g.node[i], i)
    report.soft_locks += [_soft_lock(story, g, i) for i in locked_nodes.values()]
    failed: dict[tuple[str, int, str], int] = {}
    for i, c, message in g.errors:  # one report per choice and message: the shortest way to it
        failed.setdefault((g.node[i], c, message), i)
    for (_, c, message), i in failed.items():
        node = story.nodes[g.node[i]]
        loc = node.choices[c].loc if c >= 0 else node.loc
        report.errors.append(Finding("error", "runtime-error", loc, f"the engine failed at '{node.id}': {message}",
                                     f"reached by: {labels(story, g.path(i) + ((c,) if c >= 0 else ()))}"))
    approx = report.approx = Approx(story)
    if g.complete:
        seen_loops: set[frozenset[str]] = set()
        for i, loop in traps(g):
            if frozenset(loop) not in seen_loops:
                seen_loops.add(frozenset(loop))
                node = story.nodes[g.node[i]]
                report.cycles.append(Finding(
                    "error", "loop-without-exit", node.loc,
                    f"loop without an exit: from '{node.id}' no ending can be reached; "
                    f"the loop runs through {', '.join(repr(n) for n in loop)}",
                    f"reached by: {labels(story, g.path(i))}"))
    report.items = judge(story, g, approx)


def run_routes(report: Report) -> None:
    if report.graph is not None:  # a story without facts has no routes to find (at 10,000 nodes: 8 s saved)
        report.routes = fact_routes(report.graph) if report.story.facts else Routes([], [], [], 0)


# -- judging every item -----------------------------------------------------------------------------
def undecided_loops(report: Report) -> list[Finding]:
    """A search stopped by --max-states has not looked for loops without an exit. Unless every
    loop play can go round is proved to keep a way out (analysis.bounds.a_trap), that question
    stays open: an error, as an undecided node is."""
    g, story = report.graph, report.story
    if g is None or g.complete:
        return []
    loop = a_trap(story, report.approx)
    if not loop:
        return []
    node = story.nodes[loop[0]]
    shown = " -> ".join(repr(n) for n in [*loop[:6], loop[0]]) if len(loop) <= 6 else \
        " -> ".join(repr(n) for n in loop[:6]) + " -> …"
    return [Finding("error", "undecided-loop", node.loc,
                    f"undecided: it is not proved that every loop has a way out; the search stopped at "
                    f"{g.states:,} states, and play can go round through {shown}",
                    "raise --max-states until the search is complete")]


def judge(story: Story, g: Graph, approx: Approx | None = None) -> list[Item]:
    node_at: dict[str, int] = {}
    for i, n in enumerate(g.node):
        node_at.setdefault(n, i)
    taken = g.taken()
    approx = approx or Approx(story)
    items: list[Item] = []
    searched = f"no playthrough reaches it (all {g.states:,} states were searched)"
    into: dict[str, list[tuple[str, Choice]]] = {n: [] for n in story.nodes}
    for place in story.nodes.values():
        for choice in place.choices:
            into[choice.goto].append((place.id, choice))
    # Past the bound, witnesses for thousands of items come from a few searches, not one each
    # (analysis.settle.settle): random walks that put off the endings, one search aimed at
    # everything still open, then aimed searches, node by node, for what those leave.
    proofs = {n: _why_node(story, approx, n, into[n]) for n in story.nodes}
    choice_proofs = {(n.id, c): _why_choice(story, approx, n.id, c) for n in story.nodes.values()
                     for c in range(len(n.choices))}
    past = Settled()
    if not g.complete:
        open_nodes = {n for n in story.nodes if n not in node_at and not proofs[n]}
        open_choices = {nc for nc, proof in choice_proofs.items() if nc not in taken and not proof}
        known = {n: g.path(i) for n, i in node_at.items()}
        past = settle(story, open_nodes, open_choices, known, WITNESS_TOTAL, WITNESS_BUDGET,
                       RANDOM_WITNESSES, RANDOM_STEPS, approx)
    budget = [WITNESS_TOTAL - past.used]  # aimed searches share one allowance, so a huge story still finishes
    reasons = {"random": "found by a random playthrough", "aimed": "found by a search aimed at it"}
    keys: list[Key] = []  # the state key, built once for every fact's search

    def decide(kind: str, id_: str, name: str, loc: Loc, reached: tuple[int, ...] | None,
               proof: str, settled: tuple[tuple[int, ...], str] | None, tried: bool = False,
               goal: Callable[[State], bool] | None = None, near: frozenset[str] = frozenset()) -> Item:
        if reached is not None:
            return Item(kind, id_, name, loc, "reached", "", reached)
        if proof or g.complete:
            return Item(kind, id_, name, loc, "unreachable", proof or searched)
        if settled is not None:
            return Item(kind, id_, name, loc, "reached", reasons[settled[1]], settled[0])
        if goal is not None:  # a fact: one search of its own, from the states found so far
            allowed = min(WITNESS_BUDGET, budget[0])
            seeds = [s for n in near for s in past.pool.get(n, [])][:SEEDS]
            if not keys:
                keys.append(state_key(story))
            hit, used = witness(story, goal, near, allowed, seeds, key=keys[0]) if allowed > 0 else (None, 0)
            budget[0] -= used
            if hit is not None:
                return Item(kind, id_, name, loc, "reached", reasons["aimed"], hit.path)
            tried = allowed > 0
        why = "a search aimed at it found no way in" if tried else \
            f"the aimed searches had used up their {WITNESS_TOTAL:,} states"
        return Item(kind, id_, name, loc, "undecided",
                    f"the search stopped at {g.states:,} states and {why}; raise --max-states")

    for node in story.nodes.values():
        kind = "ending" if node.ending else "node"
        path = g.path(node_at[node.id]) if node.id in node_at else None
        items.append(decide(kind, node.id, node.ending.title if node.ending else node.id, node.loc, path,
                            proofs[node.id], past.nodes.get(node.id), node.id not in past.starved))
    status = {i.id: i for i in items}
    for node in story.nodes.values():
        for c, choice in enumerate(node.choices):
            id_ = f"{node.id}#{c + 1}"
            path = g.path(taken[node.id, c]) + (c,) if (node.id, c) in taken else None
            proof, settled = choice_proofs[node.id, c], past.choices.get((node.id, c))
            if path is None and not g.complete and not proof and settled is None:
                if status[node.id].status == "undecided":  # no search can reach the choice sooner
                    items.append(Item("choice", id_, choice.label, choice.loc, "undecided", "its node is undecided"))
                    continue
                if status[node.id].reason == "":  # reached by the search, maybe only at its frontier
                    path = _try_at(story, node.id, c, status[node.id].witness)
            items.append(decide("choice", id_, choice.label, choice.loc, path, proof, settled,
                                (node.id, c) not in past.starved))
    for fact in story.facts.values():
        ways = _ways_to_unlock(story, fact.id)
        found = [i.witness for i in items
                 if i.witness is not None and i.status == "reached" and _unlocks(story, i, fact.id)]
        path = min(found, key=len) if found else None
        near = frozenset({n for n, _ in ways} | {c.goto for _, c in ways if c})
        items.append(decide("fact", fact.id, fact.title, fact.loc, path, _why_fact(story, approx, ways), None,
                            goal=_knows(fact.id), near=near))
    facts = {i.id: i for i in items if i.kind == "fact"}
    places = {i.id: i for i in items if i.kind in ("node", "ending")}
    for term in story.glossary.values():
        # A term shows once a fact naming it is found; a story word once a scene using it is read
        # (any of its text parts: the same reading as the glossary's).
        users = ([places[n] for n, parts in story.words.items() if any(term.id in w for w in parts)]
                 if term.story_word else [facts[f.id] for f in story.facts.values() if term.id in f.terms])
        reached = [i.witness for i in users if i.witness is not None and i.status == "reached"]
        if reached:
            items.append(Item("term", term.id, term.name, term.loc, "reached", "", min(reached, key=len)))
        elif all(i.status == "unreachable" for i in users):
            what = "scene that uses it" if term.story_word else "fact that lists it"
            reason = (("no scene uses it" if term.story_word else "no fact lists it under 'terms'") if not users else
                      f"every {what} is unreachable: " + ", ".join(f"'{i.id}'" for i in users))
            items.append(Item("term", term.id, term.name, term.loc, "unreachable", reason))
        else:
            items.append(Item("term", term.id, term.name, term.loc, "undecided", "its facts are undecided"))
    return items


def _arrives(node: str) -> Callable[[State], bool]:
    return lambda s: s.node == node


def _knows(fact: str) -> Callable[[State], bool]:
    return lambda s: fact in s.facts


def _try_at(story: Story, node: str, c: int, path: tuple[int, ...] | None) -> tuple[int, ...] | None:
    """The choice taken from the state the node's witness arrives in, when it is available there."""
    if path is None:
        return None
    state = engine.start(story)
    for index in path:
        state = engine.step(story, state, index)
    return path + (c,) if c in engine.available(story, state) else None


def _unlocks(story: Story, item: Item, fact: str) -> bool:
    """Whether reaching the item (a node, or taking a choice) unlocks the fact."""
    if item.kind in ("node", "ending"):
        return fact in engine.unlocked_by(story, item.id)
    if item.kind == "choice":
        node, number = item.id.rsplit("#", 1)
        return fact in engine.step_unlocks(story, node, int(number) - 1)
    return False


def _ways_to_unlock(story: Story, fact: str) -> list[tuple[str, Choice | None]]:
    """(node, None) for a node that unlocks it on arrival, (node, choice) for a choice that does."""
    return [(node, None if i is None else story.nodes[node].choices[i])
            for node, i in engine.ways_to_unlock(story, fact)]


def _why_node(story: Story, approx: Approx, node_id: str, ways: list[tuple[str, Choice]] | None = None) -> str:
    if approx.reachable(node_id):
        return ""
    if ways is None:
        ways = [(n.id, c) for n in story.nodes.values() for c in n.choices if c.goto == node_id]
    if not ways:
        return "no choice leads to it"
    reasons = list(dict.fromkeys(_why_closed(approx, n, c) for n, c in ways))
    return "every way in is closed: " + "; ".join(reasons[:3]) + (
        f"; and {len(reasons) - 3} more" if len(reasons) > 3 else "")


def _why_closed(approx: Approx, node_id: str, choice: Choice, itself: bool = False) -> str:
    """Why a choice can never be taken; `itself` when the reader is already looking at it."""
    if not approx.reachable(node_id):
        return f"'{node_id}' is never reached"
    culprits = approx.never_true(choice, node_id)
    cond = choice.condition.source if choice.condition else ""
    why = f" ({', '.join(culprits)})" if culprits else ""
    if itself:
        return f"its condition '{cond}' never holds at '{node_id}'{why}"
    return f"choice '{choice.label}' at '{node_id}' ({choice.loc}) needs '{cond}', which never holds there{why}"


def _why_choice(story: Story, approx: Approx, node_id: str, c: int) -> str:
    choice = story.nodes[node_id].choices[c]
    if approx.reachable(node_id) and approx.possible(choice, approx.at[node_id]):
        return ""
    return _why_closed(approx, node_id, choice, itself=True)


def _why_fact(story: Story, approx: Approx, ways: list[tuple[str, Choice | None]]) -> str:
    if not ways:
        return "no node or choice unlocks it"
    closed = []
    for node_id, choice in ways:
        if choice is None:
            if approx.reachable(node_id):
                return ""
            closed.append(f"node '{node_id}' is never reached")
        else:
            if approx.reachable(node_id) and approx.possible(choice, approx.at[node_id]):
                return ""
            closed.append(_why_closed(approx, node_id, choice))
    return "every way to unlock it is closed: " + "; ".join(closed)


def _soft_lock(story: Story, g: Graph, i: int) -> Finding:
    node = story.nodes[g.node[i]]
    conds = ", ".join(f"'{c.label}' needs '{c.condition.source}'" for c in node.choices if c.condition)
    return Finding("error", "soft-lock", node.loc,
                   f"soft-lock at '{node.id}': it is not an ending and no choice is available"
                   + (f" ({conds})" if conds else ""),
                   f"reached by: {labels(story, g.path(i))}")


def label_list(story: Story, path: tuple[int, ...]) -> list[str]:
    """A playthrough as the labels a player picks."""
    state, out = engine.start(story), []
    for c in path:
        out.append(story.nodes[state.node].choices[c].label)
        state = engine.choose(story, state, c)
    return out


def labels(story: Story, path: tuple[int, ...]) -> str:
    return " → ".join(f"'{label}'" for label in label_list(story, path)) or "the start"


