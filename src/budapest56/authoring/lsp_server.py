"""`budapest56 lsp`: the checker, the ids and the transcripts in the editor, over stdio (pygls).

The only module that imports pygls; the work is in pure modules: lsp_index (where ids are
defined and used), lsp_complete (what to offer at the cursor), lsp_views (what a finding
underlines, hover text). Diagnostics are `check`'s own findings: analysis.lint.check runs on the
story folder with the open documents' unsaved texts read in place of the files
(story.files.overlaid), so the editor and the command line never disagree.

One check runs at a time, in a worker thread, so completion and hover stay answered while it
runs; edits that arrive meanwhile are gathered into the next check, which starts as soon as
the running one ends. Files outside a story folder (no story.yaml above them) are left alone.
"""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types
from pygls.capabilities import get_capability
from pygls.exceptions import JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from ..analysis.lint import Report, check
from ..errors import Finding
from ..story.files import overlaid
from ..story.format import ID_PATTERN
from ..story.model import Story
from .lsp_complete import Item, complete
from .lsp_index import Maps, Occurrence, StoryIndex, file_kind, story_folder
from .lsp_views import Place, finding_path, finding_place, hover, message, related

_SEVERITY = {"error": types.DiagnosticSeverity.Error, "warning": types.DiagnosticSeverity.Warning,
             "info": types.DiagnosticSeverity.Information}
_ITEM_KIND = {"node": types.CompletionItemKind.Module, "fact": types.CompletionItemKind.Constant,
              "flag": types.CompletionItemKind.Variable, "counter": types.CompletionItemKind.Variable,
              "term": types.CompletionItemKind.Keyword, "chapter": types.CompletionItemKind.Folder,
              "source": types.CompletionItemKind.File, "function": types.CompletionItemKind.Function,
              "label": types.CompletionItemKind.Event, "key": types.CompletionItemKind.Property,
              "command": types.CompletionItemKind.Keyword}
_WHAT = {"node": "node", "fact": "fact", "term": "glossary term", "chapter": "chapter", "source": "source",
         "flag": "flag", "counter": "counter"}


@dataclass
class _Folder:
    """What the server knows of one story folder."""

    path: Path
    story: Story | None = None                  # the last story that loaded, for labels and hover
    published: set[str] = field(default_factory=set)   # uris given diagnostics last time
    maps: Maps = field(default_factory=Maps)   # each file's ids, composed again only when it changes
    running: bool = False
    dirty: bool = False


class StoryServer(LanguageServer):
    def __init__(self) -> None:
        from importlib.metadata import version

        super().__init__("budapest56", version("budapest56"))
        self.folders: dict[Path, _Folder] = {}
        # One worker: checks of two folders never overlap (loading pauses the cycle collector).
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="budapest56-check")

    # -- documents and folders --------------------------------------------------------------
    def folder_of(self, uri: str) -> _Folder | None:
        path = _path(uri)
        if path is None:
            return None
        root = story_folder(path)
        if root is None:
            return None
        return self.folders.setdefault(root, _Folder(root))

    def open_docs(self, folder: Path | None = None) -> dict[Path, TextDocument]:
        """The open documents (inside `folder`, if given) by their resolved path; matched by path,
        not by uri text, which clients spell in more than one way (%-escapes, drive letters)."""
        out = {}
        for uri, doc in self.workspace.text_documents.items():
            path = _path(uri)
            if path is not None and (folder is None or path.is_relative_to(folder)):
                out[path] = doc
        return out

    def open_texts(self, folder: Path) -> dict[Path, str]:
        return {path: doc.source for path, doc in self.open_docs(folder).items()}

    def uri_of(self, path: Path) -> str:
        doc = self.open_docs().get(path)
        return doc.uri if doc is not None else from_fs_path(str(path)) or path.as_uri()

    def lines_of(self, path: Path) -> list[str]:
        doc = self.open_docs().get(path)
        if doc is not None:
            return list(doc.lines)
        try:
            return path.read_text(encoding="utf-8").splitlines(keepends=True)
        except (OSError, UnicodeDecodeError):
            return []

    def index(self, folder: _Folder) -> StoryIndex:
        return folder.maps.index(folder.path, self.open_texts(folder.path))

    # -- diagnostics ------------------------------------------------------------------------
    async def check_soon(self, folder: _Folder) -> None:
        folder.dirty = True
        if folder.running:
            return  # the running loop below picks the edit up
        folder.running = True
        try:
            while folder.dirty:
                folder.dirty = False
                docs = self.open_docs(folder.path)
                texts = {path: doc.source for path, doc in docs.items()}
                versions = {path: doc.version for path, doc in docs.items()}
                loop = asyncio.get_running_loop()
                try:
                    report = await loop.run_in_executor(self.checker, _check, folder.path, texts)
                except Exception as e:  # a bug of ours must not take the editor's server down with it
                    logging.getLogger(__name__).exception("checking %s failed", folder.path)
                    self.window_log_message(types.LogMessageParams(
                        type=types.MessageType.Error, message=f"budapest56: checking {folder.path} failed: {e!r}"))
                    continue
                if not folder.dirty:  # a newer text is waiting: its check's findings are the ones to show
                    self.publish(folder, report, versions)
                    self.index(folder)  # after publishing, not before: it keeps each file's last good map
        finally:
            folder.running = False

    def publish(self, folder: _Folder, report: Report, versions: dict[Path, int | None]) -> None:
        if report.story is not None:
            folder.story = report.story
        by_uri: dict[str, list[types.Diagnostic]] = {}
        for finding in [*report.elisions, *report.findings]:
            path = finding_path(finding)
            if not path.is_file():
                continue
            by_uri.setdefault(self.uri_of(path), []).append(self.diagnostic(finding))
        for path in versions:
            by_uri.setdefault(self.uri_of(path), [])
        for uri in folder.published - set(by_uri):
            by_uri[uri] = []  # fixed since last time
        for uri, diagnostics in by_uri.items():
            target = _path(uri)
            self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(
                uri=uri, diagnostics=diagnostics, version=versions.get(target) if target else None))
        folder.published = {uri for uri, d in by_uri.items() if d}

    def diagnostic(self, finding: Finding) -> types.Diagnostic:
        place = finding_place(finding, self.lines_of(finding_path(finding)))
        return types.Diagnostic(
            range=self.range(place), message=message(finding), severity=_SEVERITY[finding.severity],
            code=finding.code, source="budapest56",
            related_information=[types.DiagnosticRelatedInformation(
                location=self.location(p), message="named here") for p in related(finding)] or None)

    # -- positions: the index counts code points, the client what it negotiated ------------
    def range(self, place: Place) -> types.Range:
        lines = self.lines_of(place.path)
        text = lines[place.line] if place.line < len(lines) else ""
        return types.Range(start=types.Position(place.line, self.units(text, place.start)),
                           end=types.Position(place.line, self.units(text, place.end)))

    def location(self, place: Place) -> types.Location:
        return types.Location(uri=self.uri_of(place.path), range=self.range(place))

    def units(self, text: str, column: int) -> int:
        encoding = str(self.workspace.position_encoding or "utf-16")
        prefix = text[:column]
        if encoding == "utf-8":
            return len(prefix.encode("utf-8"))
        if encoding == "utf-32":
            return len(prefix)
        return len(prefix.encode("utf-16-le")) // 2

    def column(self, text: str, units: int) -> int:
        """The code-point column of a client's column."""
        for i in range(len(text) + 1):
            if self.units(text, i) >= units:
                return i
        return len(text)

    def cursor(self, uri: str, position: types.Position) -> tuple[Path, list[str], int] | None:
        path = _path(uri)
        if path is None:
            return None
        lines = self.lines_of(path)
        text = lines[position.line] if position.line < len(lines) else ""
        return path, lines, self.column(text, position.character)

    def occurrence_at(self, uri: str, position: types.Position) -> tuple[_Folder, StoryIndex, Occurrence] | None:
        folder, where = self.folder_of(uri), self.cursor(uri, position)
        if folder is None or where is None:
            return None
        index = self.index(folder)
        found = index.at(where[0], position.line, where[2])
        return (folder, index, found) if found else None

    def occurrence_place(self, o: Occurrence) -> Place:
        return Place(o.path, o.line, o.start, o.end)


def _check(folder: Path, texts: dict[Path, str]) -> Report:
    with overlaid({path: text.encode("utf-8") for path, text in texts.items()}):
        return check(str(folder))


def _path(uri: str) -> Path | None:
    fs = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(fs).resolve() if fs else None


def _lines(lines: Sequence[str]) -> list[str]:
    return [line.rstrip("\r\n") for line in lines]


server = StoryServer()


# Files changed outside the editor (a scene added by `budapest56 new --scene`, a source edited
# elsewhere, a checkout) are checked again too, where the client can watch files for us.
_WATCHED = "**/*.{yaml,yml,txt}"


@server.feature(types.INITIALIZED)
async def initialized(ls: StoryServer, params: types.InitializedParams) -> None:
    if get_capability(ls.client_capabilities, "workspace.did_change_watched_files.dynamic_registration", False):
        await ls.client_register_capability_async(types.RegistrationParams(registrations=[types.Registration(
            id="budapest56-story-files", method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                watchers=[types.FileSystemWatcher(glob_pattern=_WATCHED)]))]))


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
async def files_changed(ls: StoryServer, params: types.DidChangeWatchedFilesParams) -> None:
    folders = {f.path: f for change in params.changes if (f := ls.folder_of(change.uri)) is not None}
    for folder in folders.values():
        await ls.check_soon(folder)


async def _check_document(ls: StoryServer, uri: str) -> None:
    """Check again the story folder a document lies in; a file outside any story is ignored."""
    folder = ls.folder_of(uri)
    if folder is not None:
        await ls.check_soon(folder)


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: StoryServer, params: types.DidOpenTextDocumentParams) -> None:
    await _check_document(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: StoryServer, params: types.DidChangeTextDocumentParams) -> None:
    await _check_document(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: StoryServer, params: types.DidSaveTextDocumentParams) -> None:
    await _check_document(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
async def did_close(ls: StoryServer, params: types.DidCloseTextDocumentParams) -> None:
    # The file on disk counts again, maybe without the unsaved edits.
    await _check_document(ls, params.text_document.uri)


@server.feature(types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=[" ", "(", "[", ",", "-"]))
def completion(ls: StoryServer, params: types.CompletionParams) -> types.CompletionList | None:
    folder, where = ls.folder_of(params.text_document.uri), ls.cursor(params.text_document.uri, params.position)
    if folder is None or where is None:
        return None
    path, lines, column = where
    plain = _lines(lines)
    items = complete(plain, params.position.line, column, file_kind(folder.path, path), ls.index(folder), folder.story)
    text = plain[params.position.line] if params.position.line < len(plain) else ""
    return types.CompletionList(is_incomplete=False, items=[_item(ls, i, text, params.position) for i in items])


def _item(ls: StoryServer, item: Item, text: str, position: types.Position) -> types.CompletionItem:
    start = types.Position(position.line, ls.units(text, item.start))
    return types.CompletionItem(
        label=item.label, kind=_ITEM_KIND.get(item.kind), detail=item.detail,
        text_edit=types.TextEdit(range=types.Range(start=start, end=position), new_text=item.insert))


@server.feature(types.TEXT_DOCUMENT_DEFINITION)
def definition(ls: StoryServer, params: types.DefinitionParams) -> list[types.Location] | None:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    _, index, o = found
    return [ls.location(ls.occurrence_place(d)) for d in index.of(o.kind, o.name, definitions=True)] or None


@server.feature(types.TEXT_DOCUMENT_REFERENCES)
def references(ls: StoryServer, params: types.ReferenceParams) -> list[types.Location] | None:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    _, index, o = found
    every = index.of(o.kind, o.name, None if params.context.include_declaration else False)
    return [ls.location(ls.occurrence_place(r)) for r in every]


@server.feature(types.TEXT_DOCUMENT_HOVER)
def on_hover(ls: StoryServer, params: types.HoverParams) -> types.Hover | None:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    folder, _, o = found
    text = hover(o, folder.story)
    if text is None:
        return None
    return types.Hover(contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
                       range=ls.range(ls.occurrence_place(o)))


@server.feature(types.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(ls: StoryServer, params: types.PrepareRenameParams) -> types.Range | None:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    return ls.range(ls.occurrence_place(found[2])) if found else None


@server.feature(types.TEXT_DOCUMENT_RENAME)
def rename(ls: StoryServer, params: types.RenameParams) -> types.WorkspaceEdit | None:
    found = ls.occurrence_at(params.text_document.uri, params.position)
    if found is None:
        return None
    folder, index, o = found
    if folder.maps.unparsed:  # its map is from an older text: edits there would land in the wrong places
        broken = ", ".join(sorted(p.relative_to(folder.path).as_posix() for p in folder.maps.unparsed))
        raise JsonRpcInvalidParams(f"cannot rename while {broken} does not parse; fix its YAML first")
    new = params.new_name
    if not re.fullmatch(ID_PATTERN, new):
        raise JsonRpcInvalidParams(f"'{new}' cannot be an id: use lower-case letters, digits and _, "
                                   "starting with a letter")
    # Flags and counters share one namespace: a condition's name is either.
    for kind in ("flag", "counter") if o.kind in ("flag", "counter") else (o.kind,):
        if new != o.name and index.of(kind, new, definitions=True):
            raise JsonRpcInvalidParams(f"there is already a {_WHAT[kind]} '{new}'")
    changes: dict[str, list[types.TextEdit]] = {}
    for each in index.of(o.kind, o.name):
        loc = ls.location(ls.occurrence_place(each))
        changes.setdefault(loc.uri, []).append(types.TextEdit(range=loc.range, new_text=new))
    return types.WorkspaceEdit(changes=changes)


def serve() -> None:
    """Answer an editor on stdin and stdout until it says exit."""
    logging.basicConfig(level=logging.WARNING)  # pygls logs to stderr, which editors keep as the server's log
    server.start_io()
