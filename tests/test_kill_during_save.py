"""kill -9 in the middle of saving: the last save is always whole, and the temporary files a
killed write leaves behind are removed when the next game starts."""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from budapest56 import load_story
from budapest56.persist.saves import SaveFolder
from budapest56.persist.storage import clean_stale_temps

# A child that saves as fast as it can, a longer undo history each time.
WRITER = """
import sys
from pathlib import Path
from budapest56 import load_story, start, choose
from budapest56.persist.saves import SaveFolder
story = load_story(sys.argv[1])
folder = SaveFolder(Path(sys.argv[2]), story)
state = start(story)
history = [state]
folder.write("autosave", choose(story, state, 0), history)
print("ready", flush=True)  # one whole save exists: from here on, every kill lands mid-loop
while True:
    history.append(state)
    folder.write("autosave", choose(story, state, 0), history)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_kill_9_while_saving_never_loses_the_save(tiny, tmp_path):
    folder = SaveFolder(tmp_path / "home", load_story(tiny))
    rng = random.Random(1956)
    for _ in range(8):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(tiny), str(folder.home)],
                                 stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.01, 0.08))
        child.send_signal(signal.SIGKILL)
        child.wait()
        saved = folder.read("autosave")  # whole: never half-written, never moved aside
        assert saved.state.node == "yard" and len(saved.history) >= 1
    leftovers = [p for p in os.listdir(folder.folder) if p.endswith(".tmp")]
    old = time.time() - 3600
    for name in leftovers:
        os.utime(folder.folder / name, (old, old))
    assert clean_stale_temps(folder.home) == len(leftovers)
    assert os.listdir(folder.folder) == ["autosave.json"]
    assert json.loads((folder.folder / "autosave.json").read_text())["format"] == "budapest56-save"
