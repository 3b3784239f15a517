"""A damaged, read-only or shared data folder: the game says what is wrong, once, and plays on."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from budapest56 import load_story, start
from budapest56.errors import ProfileError, SaveError
from budapest56.persist import storage
from budapest56.persist.lock import FILE as LOCK_FILE
from budapest56.persist.lock import acquire_lock, locked_message
from budapest56.persist.profile import FILE, Progress, load_progress, save_progress
from budapest56.persist.saves import AUTOSAVE, SaveFolder
from budapest56.persist.storage import (
    NotSaving,
    atomic_write_json,
    check_writable,
    clean_stale_temps,
    read_json,
)

ROOT = Path(__file__).resolve().parent.parent
TUTORIAL = ROOT / "tests" / "stories" / "tutorial"
PROFILE = {"format": "budapest56-profile", "version": 1}


def play(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BUDAPEST56_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "budapest56", *args], input=stdin, capture_output=True,
                          text=True, env=env, timeout=60)


def moved_aside(folder: Path, name: str) -> list[str]:
    return sorted(p for p in os.listdir(folder) if p.startswith(f"{name}.corrupt-"))


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Make a folder read-only even for root (chattr +i), or skip where that cannot be done."""
    if os.name != "posix":
        pytest.skip("needs POSIX permissions")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not possible here")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(folder)], check=True)


# --- damaged files ---------------------------------------------------------------------------

def test_a_profile_entry_that_is_not_an_object_is_moved_aside(tmp_path):
    (tmp_path / FILE).write_text(json.dumps({**PROFILE, "stories": {"budapest56": 5}}))
    with pytest.raises(ProfileError) as e:
        load_progress(tmp_path, "budapest56")
    [aside] = moved_aside(tmp_path, FILE)
    assert str(e.value).splitlines() == [
        f"{tmp_path / FILE}: error: the player profile cannot be used: the entry for story 'budapest56' "
        "is a number, not an object [corrupt-file]",
        f"  hint: it was moved to {aside}; nothing was deleted"]
    assert load_progress(tmp_path, "budapest56").facts_found == ()  # the next launch starts clean


@pytest.mark.parametrize("entry, reason", [
    ({"review": []}, "review is a list, not an object"),
    ({"settings": "on"}, "settings is a string, not an object"),
    ({"seconds_played": True}, "seconds_played is true or false"),
])
def test_profile_values_of_the_wrong_kind_are_named(tmp_path, entry, reason):
    (tmp_path / FILE).write_text(json.dumps({**PROFILE, "stories": {"one": entry}}))
    with pytest.raises(ProfileError) as e:
        load_progress(tmp_path, "one")
    assert e.value.findings[0].message == (
        f"the player profile cannot be used: story 'one' has a value of the wrong kind ({reason})")


def test_play_progress_and_review_survive_a_profile_entry_that_is_not_an_object(tmp_path):
    for command in ("play", "progress", "review"):
        home = tmp_path / command
        home.mkdir()
        (home / FILE).write_text(json.dumps({**PROFILE, "stories": {"market_day": 5}}))
        args = [command, str(TUTORIAL)] + (["--plain"] if command == "play" else [])
        result = play(home, *args, stdin="1\nquit\n")
        assert "Traceback" not in result.stdout + result.stderr
        said = " ".join((result.stdout + result.stderr).split())  # messages wrap at the screen's width
        assert "the entry for story 'market_day' is a number, not an object" in said
        assert moved_aside(home, FILE), command


@pytest.mark.parametrize("text, reason", [
    ('{"format": "budapest56-save", "n": ' + "9" * 4301 + "}", "it holds a number of 4,301 digits"),
    ("[" * 100_000, "it is nested more than 40 levels deep, which the game never writes"),
    ('{"a": NaN}', "it holds NaN, which is not a number the game writes"),
])
def test_numbers_and_nesting_no_game_writes_are_refused(tmp_path, text, reason):
    path = tmp_path / "autosave.json"
    path.write_text(text)
    with pytest.raises(SaveError) as e:
        read_json(path, "the save 'autosave'", SaveError)
    assert e.value.findings[0].message == f"the save 'autosave' cannot be used: {reason}"
    [aside] = moved_aside(tmp_path, "autosave.json")
    assert (tmp_path / aside).read_text() == text  # moved, never deleted


def test_a_file_too_big_to_be_a_save_is_refused_without_reading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(storage, "MAX_BYTES", 100)
    path = tmp_path / "profile.json"
    path.write_text(" " * 101)
    with pytest.raises(ProfileError) as e:
        read_json(path, "the player profile", ProfileError)
    assert e.value.findings[0].message == (
        "the player profile cannot be used: it is 101 bytes; the game never writes more than 100")


def test_continue_with_a_save_holding_a_huge_number_offers_a_new_game(tmp_path):
    home = tmp_path / "home"
    assert play(home, "play", str(TUTORIAL), "--plain", stdin="1\nquit\n").returncode == 0
    path = home / "saves" / "market_day" / "autosave.json"
    path.write_text(path.read_text().replace('"counters": {}', '"counters": {"x": ' + "1" * 4301 + "}"))
    result = play(home, "play", str(TUTORIAL), "--plain", "--continue", stdin="2\n")
    [aside] = moved_aside(path.parent, "autosave.json")
    # A child reads that the save is damaged, not what a parser found in it.
    assert " ".join(result.stdout.split()).startswith(
        f"Your last game cannot be continued: its save is damaged. (It was moved to {aside}; nothing was deleted.)")
    assert result.returncode == 0 and result.stderr == ""


def test_a_listing_never_moves_or_chokes_on_a_hostile_save(tiny, tmp_path):
    folder = SaveFolder(tmp_path, load_story(tiny))
    folder.folder.mkdir(parents=True)
    folder.path("deep").write_text("[" * 100_000)
    folder.path("list").write_text('{"saved_at": [], "state": {"node": 5}}')
    assert [(s.name, s.problem) for s in folder.list()] == [("deep", "cannot be read"), ("list", "cannot be read")]
    assert folder.path("deep").exists() and folder.path("list").exists()


# --- files that cannot be moved, folders that cannot be written -------------------------------

def test_a_damaged_profile_that_cannot_be_moved_is_named_and_never_written_over(tmp_path):
    (tmp_path / FILE).write_text("{ not json")
    with read_only(tmp_path):
        with pytest.raises(ProfileError) as e:
            load_progress(tmp_path, "one")
        assert e.value.findings[0].hint.startswith("it could not be moved aside (")
        assert e.value.findings[0].hint.endswith(f"), so it was left as it is at {tmp_path / FILE}")
        with pytest.raises(NotSaving):
            save_progress(tmp_path, Progress("one"))
    assert (tmp_path / FILE).read_text() == "{ not json"


def test_an_unreadable_profile_is_never_replaced_by_an_empty_one(tmp_path, monkeypatch):
    (tmp_path / FILE).write_text(json.dumps({**PROFILE, "stories": {"one": {"facts_found": ["a"]}}}))
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        if self.name == FILE:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(ProfileError) as e:
        load_progress(tmp_path, "one")
    assert e.value.findings[0].code == "unreadable-profile"
    assert e.value.findings[0].message.endswith("the player profile cannot be read: Permission denied")
    with pytest.raises(NotSaving, match="cannot be read"):
        save_progress(tmp_path, Progress("one"))
    monkeypatch.undo()
    assert load_progress(tmp_path, "one").facts_found == ("a",)


def test_a_read_only_folder_is_named_with_the_reason(tmp_path):
    with read_only(tmp_path):
        why = check_writable(tmp_path)
    assert why in ("the folder is read-only for you", "Operation not permitted")
    assert storage.not_saving_message(tmp_path, "the disk is read-only") == (
        f"Your games cannot be saved in {tmp_path} (the disk is read-only). "
        "Playing on without saving: this game cannot be continued later.")


def test_the_game_plays_on_in_a_read_only_data_folder(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with read_only(home):
        result = play(home, "play", str(TUTORIAL), "--plain", stdin="1\nquit\n")
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith(f"Your games cannot be saved in {home} (")
    assert "Playing on without saving: this game cannot be continued later." in result.stdout
    assert "The brass is new and still bright." in result.stdout  # the game went on
    assert os.listdir(home) == []


# --- temporary files, the lock, signals ------------------------------------------------------

def test_stale_temporary_files_of_killed_writes_are_removed_at_start(tmp_path):
    saves = tmp_path / "saves" / "market_day"
    saves.mkdir(parents=True)
    old, fresh = saves / ".autosave.json.k2j4_x9a.tmp", tmp_path / ".profile.json.abcd1234.tmp"
    other = saves / "notes.tmp"
    for path in (old, fresh, other):
        path.write_text("{")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    os.utime(other, (time.time() - 3600, time.time() - 3600))
    assert clean_stale_temps(tmp_path) == 1
    assert not old.exists() and fresh.exists() and other.exists()  # only our own, and only old ones
    os.utime(fresh, (time.time() - 3600, time.time() - 3600))
    play(tmp_path, "play", str(TUTORIAL), "--plain", stdin="quit\n")
    assert not fresh.exists()


def test_a_second_game_on_the_same_data_folder_is_refused(tmp_path):
    lock = acquire_lock(tmp_path)
    assert lock is not None
    assert acquire_lock(tmp_path) is None
    result = play(tmp_path, "play", str(TUTORIAL), "--plain", stdin="1\nquit\n")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"Another game (process {os.getpid()}) is running with the data folder {tmp_path}. Finish it first, "
        "or play this one with its own folder: BUDAPEST56_HOME=/some/other/folder budapest56\n")
    assert locked_message(tmp_path) in result.stderr
    lock.release()
    assert play(tmp_path, "play", str(TUTORIAL), "--plain", stdin="quit\n").returncode == 0


def test_a_lock_left_by_a_killed_game_does_not_stick(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from pathlib import Path; "
                               "from budapest56.persist.lock import acquire_lock; "
                               "lock = acquire_lock(Path(sys.argv[1])); print(lock is not None, flush=True); "
                               "time.sleep(60)", str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline() == "True\n"
    assert acquire_lock(tmp_path) is None
    holder.kill()
    holder.wait()
    assert (tmp_path / LOCK_FILE).read_text() == f"{holder.pid}\n"  # the dead game's pid is still written
    lock = acquire_lock(tmp_path)
    assert lock is not None and (tmp_path / LOCK_FILE).read_text() == f"{os.getpid()}\n"
    lock.release()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
def test_sigterm_and_sighup_save_and_say_goodbye(tmp_path, signum):
    env = {**os.environ, "BUDAPEST56_HOME": str(tmp_path)}
    game = subprocess.Popen([sys.executable, "-m", "budapest56", "play", str(TUTORIAL), "--plain"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert game.stdin is not None
    game.stdin.write("1\n")
    game.stdin.flush()
    autosave = tmp_path / "saves" / "market_day" / "autosave.json"
    deadline = time.monotonic() + 30
    while not autosave.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    game.send_signal(signum)
    out, err = game.communicate(timeout=30)
    assert (game.returncode, err) == (0, "")
    assert "Saved. Goodbye!" in out
    assert json.loads(autosave.read_text())["state"]["node"] == "plaque"


def test_a_second_interrupt_during_the_goodbye_save_does_not_skip_it(tmp_path, monkeypatch):
    """The write holds Ctrl-C until the new file is in place; the signal comes right after."""
    path = tmp_path / "autosave.json"
    atomic_write_json(path, {"node": "hall"})
    real_fsync = os.fsync

    def interrupted_fsync(fd: int) -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of the write
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupted_fsync)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_json(path, {"node": "yard"})
    assert json.loads(path.read_text()) == {"node": "yard"}


def test_once_the_game_is_leaving_further_interrupts_are_ignored():
    from budapest56.commands.play import _leave_on_signals

    with _leave_on_signals():
        with pytest.raises(KeyboardInterrupt):  # noqa: PT012 (the signal arrives during the sleep)
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)
        os.kill(os.getpid(), signal.SIGINT)  # the second Ctrl-C, during the goodbye save
        time.sleep(0.05)
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_a_new_game_can_keep_the_old_autosave_or_say_why_not(tiny, tmp_path):
    folder = SaveFolder(tmp_path, load_story(tiny))
    folder.write(AUTOSAVE, start(folder.story), [])
    with read_only(folder.folder), pytest.raises(NotSaving, match="could not rename the save 'autosave'"):
        folder.rename(AUTOSAVE, "previous")
    folder.rename(AUTOSAVE, "previous")
    assert folder.exists("previous") and not folder.exists(AUTOSAVE)


def test_a_damaged_save_in_a_read_only_folder_is_named_and_a_new_game_starts(tmp_path):
    home = tmp_path / "home"
    assert play(home, "play", str(TUTORIAL), "--plain", stdin="1\nquit\n").returncode == 0
    saves = home / "saves" / "market_day"
    (saves / "autosave.json").write_text("{")
    with read_only(saves), read_only(home):
        result = play(home, "play", str(TUTORIAL), "--plain", "--continue", stdin="1\n1\nquit\n")
    assert result.returncode == 0 and "Traceback" not in result.stdout + result.stderr
    said = " ".join(result.stdout.split())
    assert "Your last game cannot be continued: its save is damaged." in said
    assert f"so it was left as it is at {saves / 'autosave.json'}.)" in said
    assert "The brass is new and still bright." in result.stdout
    assert (saves / "autosave.json").read_text() == "{"


def test_a_read_only_data_folder_is_mentioned_once(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with read_only(home):
        result = play(home, "play", str(TUTORIAL), "--plain", stdin="1\n1\nquit\n")
    assert result.stdout.count("Your games cannot be saved in") == 1
    assert "Could not" not in result.stdout  # no second and third message after the first move


def test_the_list_of_saves_skips_files_no_game_wrote(tiny, tmp_path):
    folder = SaveFolder(tmp_path, load_story(tiny))
    folder.write("mine", start(folder.story), [])
    (folder.folder / "\x1b]0;pwned\x07.json").write_text("{}")
    assert [s.name for s in folder.list()] == ["mine"]


def test_review_waits_for_the_game_on_the_same_data_folder(tmp_path):
    lock = acquire_lock(tmp_path)
    assert lock is not None
    result = play(tmp_path, "review", str(TUTORIAL))
    lock.release()
    assert result.returncode == 1 and result.stderr.startswith(f"Another game (process {os.getpid()}) is running")


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_sigterm_in_the_terminal_ui_saves_and_says_goodbye(tmp_path):
    from test_pty import Terminal

    game = Terminal(tmp_path, str(TUTORIAL))
    game.expect("Begin")
    game.send("\r")
    game.expect("2. Go straight to the paprika stalls")
    game.send("1\r")
    game.expect("The brass is new and still bright.")
    time.sleep(0.3)  # at the prompt again
    os.kill(game.pid, signal.SIGTERM)
    game.expect("Saved. Goodbye!")
    assert game.exit_code() == 0
    assert json.loads((tmp_path / "saves" / "market_day" / "autosave.json").read_text())["state"]["node"] == "plaque"


def test_what_a_save_file_says_reaches_the_screen_only_when_it_is_what_the_game_writes(tiny, tmp_path):
    folder = SaveFolder(tmp_path, load_story(tiny))
    folder.write("odd", start(folder.story), [])
    data = json.loads(folder.path("odd").read_text())
    data["saved_at"] = "\x1b]0;pwned\x07"
    folder.path("odd").write_text(json.dumps(data))
    [listing] = folder.list()
    assert (listing.name, listing.saved_at, listing.node) == ("odd", "", "hall")
    assert folder.read("odd").saved_at == ""
