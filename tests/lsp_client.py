"""A small JSON-RPC client for `budapest56 lsp`: the real server, started as a user's editor
would, over its stdin and stdout. Used by tests/test_lsp.py and benchmarks/bench_lsp.py."""
from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any


class Client:
    def __init__(self, root: Path, command: list[str] | None = None, cwd: Path | None = None):
        self.process = subprocess.Popen(command or [sys.executable, "-m", "budapest56", "lsp"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        cwd=cwd or root)
        self.next_id = 0
        self.responses: dict[int, Any] = {}
        self.notes: queue.Queue[dict[str, Any]] = queue.Queue()  # every notification, in order
        self.unread: dict[str, list[dict[str, Any]]] = {}  # publishDiagnostics params by uri, not yet read
        self.arrived = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.versions: dict[str, int] = {}
        self.requests: list[dict[str, Any]] = []  # what the server asked of us
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {
            "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}},
            "textDocument": {"completion": {"completionItem": {"snippetSupport": False}},
                             "publishDiagnostics": {"relatedInformation": True, "versionSupport": True}}}})
        self.notify("initialized", {})

    # -- the wire ---------------------------------------------------------------------------
    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.process.stdin.flush()

    def _read(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            message = json.loads(out.read(length))
            if "id" in message and "method" in message:  # the server asks (registerCapability, ...)
                with self.arrived:
                    self.requests.append(message)
                    self.arrived.notify_all()
                self._send({"id": message["id"], "result": None})
            elif "id" in message:
                with self.arrived:
                    self.responses[message["id"]] = message
                    self.arrived.notify_all()
            else:
                self.notes.put(message)
                if message.get("method") == "textDocument/publishDiagnostics":
                    with self.arrived:
                        self.unread.setdefault(message["params"]["uri"], []).append(message["params"])
                        self.arrived.notify_all()

    def request(self, method: str, params: dict[str, Any], timeout: float = 30) -> Any:
        self.next_id += 1
        number = self.next_id
        self._send({"id": number, "method": method, "params": params})
        with self.arrived:
            if not self.arrived.wait_for(lambda: number in self.responses, timeout):
                raise TimeoutError(f"no answer to {method} in {timeout} s")
            message = self.responses.pop(number)
        if "error" in message:
            raise ServerError(message["error"]["message"])
        return message["result"]

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    # -- what an editor does ----------------------------------------------------------------
    def open(self, path: Path, text: str | None = None) -> None:
        uri = path.resolve().as_uri()
        self.versions[uri] = 1
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1,
            "text": path.read_text(encoding="utf-8") if text is None else text}})

    def change(self, path: Path, text: str) -> int:
        """Replace the whole text of an open document; the new version number."""
        uri = path.resolve().as_uri()
        self.versions[uri] += 1
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": self.versions[uri]},
                                               "contentChanges": [{"text": text}]})
        return self.versions[uri]

    def diagnostics(self, path: Path, version: int | None = None, timeout: float = 30) -> list[dict[str, Any]]:
        """The first diagnostics published for `path` (for that version of it, if given) that have
        not been read yet; earlier ones for other versions are passed over."""
        uri = path.resolve().as_uri()

        def found() -> dict[str, Any] | None:
            waiting = self.unread.get(uri, [])
            while waiting:
                params = waiting.pop(0)
                if version is None or params.get("version") == version:
                    return params
            return None

        got: list[dict[str, Any]] = []

        def ready() -> bool:
            params = found()
            if params is not None:
                got.append(params)
            return bool(got)

        with self.arrived:
            if not self.arrived.wait_for(ready, timeout):
                raise TimeoutError(f"no diagnostics for {path.name} in {timeout} s")
        return list(got[0]["diagnostics"])

    def at(self, method: str, path: Path, line: int, character: int, **extra: Any) -> Any:
        return self.request(method, {"textDocument": {"uri": path.resolve().as_uri()},
                                     "position": {"line": line, "character": character}, **extra})

    def close(self) -> int:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
            return self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
                if stream:
                    stream.close()


class ServerError(Exception):
    """The server answered a request with an error."""


def position_of(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """(line, column), 0-based, of the first `needle` in `text`, plus `offset` columns."""
    at = text.index(needle)
    line = text.count("\n", 0, at)
    return line, at - (text.rfind("\n", 0, at) + 1) + offset
