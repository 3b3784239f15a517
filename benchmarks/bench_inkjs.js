#!/usr/bin/env node
// Random playthroughs in inkjs on the same synthetic graph as bench_explore.py, for the
// side-by-side figure. Run through bench_inkjs.sh, which installs inkjs into a temp folder.
//
//   node bench_inkjs.js GRAPH.json [CHOICES] [REPEAT]
//
// The graph (synth_graph.py's JSON) becomes ink: one knot per node, its flags as VARs set on
// arrival, each choice a sticky choice guarded by its condition ({flag} or {not flag}), the
// endings -> END. It is compiled once (not timed), then played at random: ContinueMaximally,
// pick a choice with mulberry32 (the generator synth_graph.py uses), until no choice is left.
// Prints CPU microseconds per choice (process.cpuUsage: user + system), best of REPEAT, as JSON:
// on a shared machine wall time mostly measures the others.
"use strict";
const fs = require("fs");
const { Compiler, Story } = require("inkjs/full");

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function toInk(graph) {
  const lines = graph.flags.map((f) => `VAR ${f} = false`);
  lines.push(`-> ${graph.start}`);
  for (const node of graph.nodes) {
    lines.push(`=== ${node.id} ===`);
    for (const f of node.set) lines.push(`~ ${f} = true`);
    lines.push(node.text.replace(/[{}\[\]#~*+\-<>|/\\]/g, " "));
    if (node.ending) {
      lines.push("-> END");
      continue;
    }
    for (const c of node.choices) {
      const guard = c.if === null ? "" : `{${c.if}} `;
      lines.push(`+ ${guard}[${c.label.replace(/[()\[\]{}]/g, "")}] -> ${c.goto}`);
    }
  }
  return lines.join("\n") + "\n";
}

function main() {
  const [file, choicesArg, repeatArg] = process.argv.slice(2);
  const graph = JSON.parse(fs.readFileSync(file, "utf8"));
  const wanted = Number(choicesArg || 300000);
  const repeat = Number(repeatArg || 3);
  const compiled = new Compiler(toInk(graph)).Compile();
  const story = new Story(compiled.ToJson());
  let best = Infinity;
  let made = 0;
  for (let r = 0; r < repeat; r++) {
    const pick = mulberry32(1956 + r);
    made = 0;
    const t = process.cpuUsage();
    while (made < wanted) {
      story.ResetState();
      for (;;) {
        story.ContinueMaximally();
        const n = story.currentChoices.length;
        if (n === 0) break;
        story.ChooseChoiceIndex(Math.floor(pick() * n));
        made++;
      }
    }
    const used = process.cpuUsage(t);
    const seconds = (used.user + used.system) / 1e6;
    best = Math.min(best, (seconds / made) * 1e6);
  }
  console.log(JSON.stringify({ nodes: graph.nodes.length, choices: made, us_per_choice: Number(best.toFixed(3)) }));
}

main();
