"""App load benchmark: many sessions at once (20 by default) moving through the app's main pages for a
minute, on the embedded store and on Neo4j, driven over Streamlit's websocket or in headless Chromium.

    python bench/bench_app_load.py [--client ws|browser] [--sessions 20] [--seconds 60]
                                   [--baseline-seconds 20] [--think 0] [--skip-embedded] [--skip-neo4j]
                                   [--env-file .env] [--work DIR]

The graph is built from data/raw with `ikg build` (the Neo4j build reuses the extraction cache of the
first) and served by `ikg app` (bench/app_server.py) on a free port per store. Each session is a
Streamlit session of its own:
- `--client ws` (default): a session speaks Streamlit's protocol over the server's websocket
  (bench/streamlit_ws.py), as the browser's frontend does, and draws nothing: the client costs the
  machine little, so the figures are the server's.
- `--client browser`: Playwright drives Debian's Chromium (/usr/bin/chromium, or $IKG_CHROMIUM), one
  browser, one context per session; the browsers share the machine with the server and their
  rendering is in the figures.
The pages are those of the app's navigation, read at run time. Each session opens the app, then, until
the time is up, goes round the pages (each session starting at another page, as users do; one
Streamlit session throughout, as a user clicking; `--think` pauses after each step, ±50% at random)
and:
- on Explore, turns to an actor's neighbourhood, searches an actor of its own (a different name per
  session) and checks that the select box offers the actor the entity_search preset ranks first for
  that name on this store;
- on Query, checks that the result it left there on its previous visit is still its own (no other
  session's tag in it), then runs `RETURN '<its tag>' AS tag` and checks it sees its own tag.

A step's time runs from the request (the click, the search's Enter) until the server has said the
script run it started finished (Streamlit's `script_finished`), and with the browser until the page
shows idle with its title (the browser's drawing of a network in its frame excepted). Errors: an
exception or an error box on a page, a script error in the browser, a step not done within
STEP_TIMEOUT, a failed check. The baseline is one session alone on the same server, run first, in the
same process: the tables give the load's p50/p95 and their ratios to it, and the server's CPU seconds
per step of each page, measured around each step of the baseline (one session: the server works for it
alone). Prints figures, asserts nothing.
Warning: the Neo4j database is replaced by the corpus graph.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from app_server import served  # noqa: E402  (`ikg app` on a free port)
from bench_load import TEST_SERVER_ENV  # noqa: E402
from streamlit_ws import Run, StreamlitSession, selected  # noqa: E402

from app import i18n  # noqa: E402
from app.config import ENV_DB, ENV_GRAPH_DIR, ENV_STORE  # noqa: E402
from graph.stores.neo4j import read_env_file  # noqa: E402
from queries.dialect import ACTOR_LABELS  # noqa: E402
from queries.runner import Runner  # noqa: E402

log = logging.getLogger("bench_app_load")

CHROMIUM = os.environ.get("IKG_CHROMIUM", "/usr/bin/chromium")
STEP_TIMEOUT = 60.0  # seconds a step may take before it counts as an error
SHOW_WAIT = 30.0  # seconds for a shown result's code block to show its text (browser, under load)
TAG = "ikg-load-{session:02d}-{run}"
TAG_SEEN = re.compile(r"ikg-load-(\d{2})-(\d+)")
APP = '[data-testid="stApp"]'
MAIN = '[data-testid="stMain"]'
# The widgets the sessions use, by the keys the pages give them (app/views/1_Explore.py, 4_Query.py).
EXPLORE_MODE, ACTOR_VIEW = "explore_mode", 1  # the radio of views; the actor's neighbourhood is second
ACTOR_SEARCH, ACTOR_BOX = "explore_actor_q", "explore_actor"
CYPHER, RUN_QUERY = "cypher", "run_query"

IDLE = f"""() => {{
  const app = document.querySelector('{APP}');
  return app !== null && app.getAttribute('data-test-connection-state') === 'CONNECTED'
    && app.getAttribute('data-test-script-state') === 'notRunning' && document.querySelector('h1') !== null;
}}"""


# --- the graph and the server -------------------------------------------------------------------------------


def build(store: str, work: Path, env: dict[str, str]) -> dict[str, str]:
    """`ikg build data/raw` into `store`; the app's environment for it."""
    out = work / f"build-{store}"
    command = [sys.executable, "-m", "ikg.cli", "build", str(ROOT / "data" / "raw"), "--store", store]
    command += ["--out", str(out), "--cache", str(work / "cache")]
    app_env = {ENV_STORE: store, ENV_GRAPH_DIR: str(out)}
    if store == "embedded":
        db = out / "graph.lbdb"
        command += ["--db", str(db)]
        app_env[ENV_DB] = str(db)
    log.info("building the graph from data/raw into the %s store", store)
    done = subprocess.run(command, cwd=ROOT, env={**env, **app_env}, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"ikg build --store {store} failed:\n{done.stderr.strip()}")
    return app_env


def tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return []


def browsers() -> list[psutil.Process]:
    """This process's Chromium children."""
    found = []
    for p in tree(psutil.Process())[1:]:
        with contextlib.suppress(psutil.Error):
            if "chrom" in p.name():
                found.append(p)
    return found


def cpu_of(procs: list[psutil.Process]) -> float:
    total = 0.0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            total += sum(p.cpu_times()[:2])
    return total


class Usage:
    """While the block runs: the peak resident memory (MB) of the server with its children (the query
    workers), looked at every 0.2 s, and the CPU seconds the server and the client (the browsers, or
    this process for the websocket client) used; a worker that exits meanwhile takes its CPU time with
    it."""

    def __init__(self, server: psutil.Process, client: Callable[[], list[psutil.Process]]) -> None:
        self.server = server
        self.client = client
        self.peak_mb = self.server_cpu = self.client_cpu = 0.0
        self._cpu: dict[int, tuple[str, float, float]] = {}  # pid → (whose, at the start, last seen)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _look(self) -> None:
        total = 0
        for whose, procs in (("server", tree(self.server)), ("client", self.client())):
            for p in procs:
                with contextlib.suppress(psutil.Error):
                    used = sum(p.cpu_times()[:2])
                    first = self._cpu.get(p.pid, (whose, used, used))[1]
                    self._cpu[p.pid] = (whose, first, used)
                    if whose == "server":
                        total += p.memory_info().rss
        self.peak_mb = max(self.peak_mb, total / 2**20)

    def _watch(self) -> None:
        while not self._done.is_set():
            self._look()
            self._done.wait(0.2)

    def __enter__(self) -> Usage:
        self._look()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()
        self._look()
        for whose, first, last in self._cpu.values():
            if whose == "server":
                self.server_cpu += last - first
            else:
                self.client_cpu += last - first


# --- what each session searches --------------------------------------------------------------------------


def search_plan(app_env: dict[str, str], env: dict[str, str], sessions: int) -> list[tuple[str, str]]:
    """Per session, (a name to search on Explore, the start of the select box's first option: "name ·
    type" in the app's default language), the names different, taken from this store's hubs; the
    expectation is the entity_search preset's first actor for that name, as the Explore page ranks
    them."""
    from graph.stores.base import open_store

    if app_env[ENV_STORE] == "embedded":
        store = open_store("embedded", path=app_env[ENV_DB])
    else:
        store = open_store("neo4j", env_file=None, **neo4j_options(env))
    try:
        runner = Runner(store)
        plan: list[tuple[str, str]] = []
        shown: set[str] = set()
        for hub in runner.run("hubs", {"limit": 20 * sessions}).records():
            name = hub["name"]
            found = runner.run("entity_search", {"q": name, "kind": "", "limit": 1000}).records()
            first = next((m for m in found if m["label"] in ACTOR_LABELS), None)
            if first is None or first["name"] != name or name in shown:
                continue
            shown.add(name)
            with i18n.using(i18n.DEFAULT):
                plan.append((name, f"{first['name']} · {i18n.label(first['label'])} · "))
            if len(plan) == sessions:
                return plan
    finally:
        store.close()
    raise SystemExit(f"the graph has fewer than {sessions} hubs to search by name")


def neo4j_options(env: dict[str, str]) -> dict[str, str]:
    return {
        "uri": env["NEO4J_URI"],
        "user": env.get("NEO4J_USER", "neo4j"),
        "password": env["NEO4J_PASSWORD"],
    }


# --- one session -------------------------------------------------------------------------------------------


@dataclass
class Tally:
    """What the sessions of one run saw: step times by page, errors, cross-session checks; with a
    `server_cpu` clock (one session alone), the server's CPU seconds of each step by page too."""

    server_cpu: Callable[[], float] | None = None
    times: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    checks: int = 0

    def add(self, step: str, seconds: float, cpu: float | None = None) -> None:
        self.times.setdefault(step, []).append(seconds)
        if cpu is not None:
            self.cpu.setdefault(step, []).append(cpu)

    def all_times(self) -> list[float]:
        return [t for ts in self.times.values() for t in ts]


@dataclass(frozen=True)
class Page:
    title: str  # the navigation link's text
    path: str  # its URL path, as the navigation gives it ("" for the default page)
    key: str = ""  # the page's script hash (websocket client)

    @property
    def explore(self) -> bool:
        return self.path.rstrip("/").endswith("Explore")

    @property
    def query(self) -> bool:
        return self.path.rstrip("/").endswith("Query")


class Walker:
    """A user going round the pages: what both clients do alike (the tour, the pauses, the checks);
    the client's own class acts (opens, clicks, types) and reads what the page shows."""

    def __init__(self, number: int, search: tuple[str, str], tally: Tally, think: float) -> None:
        self.number = number
        self.search, self.expected = search
        self.tally = tally
        self.think = think
        self.random = random.Random(number)
        self.queries = 0  # queries run so far (the tag numbers them)
        self.left_tag: str | None = None  # the tag of the last query this session ran

    def error(self, where: str, what: str) -> None:
        self.tally.errors.append(f"session {self.number}, {where}: {what}")

    async def pause(self) -> None:
        """A user's pause after a step: `think` seconds, ±50% at random."""
        if self.think:
            await asyncio.sleep(self.think * self.random.uniform(0.5, 1.5))

    async def timed(self, name: str, action: Callable[[], Awaitable[Any]]) -> Any:
        """Run a step, its time (and the server's CPU, when measured) under `name`; None on an error."""
        clock = self.tally.server_cpu
        cpu = clock() if clock else None
        started = time.monotonic()
        try:
            outcome = await asyncio.wait_for(action(), STEP_TIMEOUT)
        except Exception as exc:  # a timeout, a closed page: one error, the session goes on
            first = str(exc).splitlines()[0] if str(exc) else "no answer"
            self.error(name, f"{type(exc).__name__}: {first}")
            return None
        seconds = time.monotonic() - started
        self.tally.add(name, seconds, clock() - cpu if clock and cpu is not None else None)
        return outcome

    def check_search(self, shown: str) -> None:
        self.tally.checks += 1
        if not shown.startswith(self.expected):
            self.error("Explore: search", f"searched {self.search!r}, the select box shows {shown!r}")

    def check_tags(self, where: str, text: str, tag: str) -> None:
        self.tally.checks += 1
        seen = {m.group(0) for m in TAG_SEEN.finditer(text)}
        if seen != {tag}:
            self.error(where, f"expected only {tag!r}, the page shows {sorted(seen) or 'none'}")

    def next_tag(self) -> str:
        self.queries += 1
        return TAG.format(session=self.number, run=self.queries)

    async def tour(self, pages: list[Page], until: float) -> None:
        """Round the pages until the time is up, starting at another page per session; it is on the first."""
        start = 1 + (self.number - 1) % (len(pages) - 1) if len(pages) > 1 else 0
        order = pages[start:] + pages[:start]
        while time.monotonic() < until:
            for target in order:
                if time.monotonic() >= until:
                    return
                await self.visit(target)

    async def visit(self, target: Page) -> None:
        """One page: go there, pause, and on Explore and Query do what the session does there."""
        if await self.go(target):
            await self.pause()
            if target.explore:
                await self.explore()
            elif target.query:
                await self.query()

    async def go(self, target: Page) -> bool:
        raise NotImplementedError

    async def explore(self) -> None:
        raise NotImplementedError

    async def query(self) -> None:
        raise NotImplementedError


class WsSession(Walker):
    """A session over Streamlit's websocket (bench/streamlit_ws.py)."""

    def __init__(
        self, number: int, client: StreamlitSession, search: tuple[str, str], tally: Tally, think: float
    ) -> None:
        super().__init__(number, search, tally, think)
        self.client = client
        self.last: Run | None = None  # what the last finished step showed

    async def step(self, name: str, action: Callable[[], Awaitable[Run]]) -> Run | None:
        run = await self.timed(name, action)
        if run is None:
            return None
        self.last = run
        for problem in run.problems():
            self.error(name, problem)
        return None if run.problems() else run

    async def open(self) -> None:
        await self.step("(open the app)", self.client.open)

    async def go(self, target: Page) -> bool:
        run = await self.step(target.title, lambda: self.client.go(target.key))
        if run is not None and target.query and self.left_tag is not None:
            # what this session left here on its previous visit
            self.check_tags("Query: the result left", code_text(run), self.left_tag)
        return run is not None

    async def act(self, name: str, key: str, kind: str, value: Callable[[Any], dict[str, Any]]) -> Run | None:
        """Give the widget `key` (a `kind`) of the page shown its `value(widget)`: a step under `name`."""
        assert self.last is not None
        try:
            widget = self.last.widget(key, kind)
        except LookupError as exc:
            self.error(name, str(exc))
            return None
        return await self.step(name, lambda: self.client.set_widget(widget.id, **value(widget)))

    async def explore(self) -> None:
        view = await self.act(
            "Explore: actor view", EXPLORE_MODE, "radio", lambda w: {"string_value": w.options[ACTOR_VIEW]}
        )
        if view is None:
            return
        await self.pause()
        run = await self.act(
            "Explore: search", ACTOR_SEARCH, "text_input", lambda w: {"string_value": self.search}
        )
        if run is None:
            return
        try:
            self.check_search(selected(run.widget(ACTOR_BOX, "selectbox")))
        except LookupError as exc:
            self.error("Explore: search", str(exc))
        await self.pause()

    async def query(self) -> None:
        tag = self.next_tag()
        text = f"RETURN '{tag}' AS tag"
        if await self.act("Query: edit", CYPHER, "text_area", lambda w: {"string_value": text}) is None:
            return
        await self.pause()
        run = await self.act("Query: run", RUN_QUERY, "button", lambda w: {"trigger_value": True})
        if run is None:
            return
        self.check_tags("Query: run", code_text(run), tag)
        self.left_tag = tag
        await self.pause()


def code_text(run: Run) -> str:
    """The text of the run's code blocks (the "Cypher that ran" of a result)."""
    return "\n".join(e.code.code_text for e in run.of("code"))


class BrowserSession(Walker):
    """A session in a browser context (Playwright, headless Chromium)."""

    def __init__(
        self, number: int, page: Any, base: str, search: tuple[str, str], tally: Tally, think: float
    ) -> None:
        super().__init__(number, search, tally, think)
        self.page = page
        page.set_default_timeout(STEP_TIMEOUT * 1000)  # a step, not Playwright's 30 s, decides what is late
        self.base = base
        self.script_errors: list[str] = []
        page.on("pageerror", lambda exc: self.script_errors.append(str(exc).splitlines()[0]))
        # Script runs the server started and finished for this page (a run cut short for a rerun
        # does not count as finished): a step waits for one started and finished after its action.
        self.runs_started = self.runs_finished = 0
        self.news = asyncio.Event()
        page.on("websocket", lambda socket: socket.on("framereceived", self._frame))

    def _frame(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.runs_started += 1
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            self.runs_finished += 1
        else:
            return
        self.news.set()

    async def run_after(self, started: int, finished: int) -> None:
        """Wait for a run started after `started` runs and finished after `finished`."""
        while not (self.runs_started > started and self.runs_finished > finished):
            self.news.clear()
            await self.news.wait()

    async def open(self) -> None:
        """The app's first page, a new Streamlit session."""

        async def load() -> None:
            await self.page.goto(self.base)
            await self.page.wait_for_function(IDLE, timeout=STEP_TIMEOUT * 1000, polling=50)

        await self.timed("(open the app)", load)

    async def step(self, name: str, action: Callable[[], Awaitable[Any]]) -> bool:
        """Act, wait for the run it starts to end and the page to show it. False on an error."""

        async def act() -> bool:
            runs = self.runs_started, self.runs_finished
            await action()
            await self.run_after(*runs)
            await self.page.wait_for_function(IDLE, timeout=STEP_TIMEOUT * 1000, polling=20)
            return True

        return bool(await self.timed(name, act)) and await self.no_errors_shown(name)

    async def no_errors_shown(self, name: str) -> bool:
        ok = True
        for selector, what in (
            ('[data-testid="stException"]', "an exception"),
            ('[data-testid="stAlertContentError"]', "an error box"),
        ):
            box = self.page.locator(f"{MAIN} {selector}")
            if await box.count():
                text = (await box.first.inner_text()).strip().splitlines()
                self.error(name, f"{what}: {text[0] if text else ''}")
                ok = False
        while self.script_errors:
            self.error(name, f"a script error: {self.script_errors.pop(0)}")
            ok = False
        return ok

    async def go(self, target: Page) -> bool:
        link = self.page.locator(f'[data-testid="stSidebarNav"] a[href$="{target.path}"]').first
        if not await self.step(target.title, link.click):
            return False
        if target.query and self.left_tag is not None:  # what this session left here on its previous visit
            self.check_tags("Query: the result left", await self.ran_text(), self.left_tag)
        return True

    async def explore(self) -> None:
        views = self.page.locator(f'{MAIN} .st-key-{EXPLORE_MODE} [data-testid="stRadioOption"]')
        if not await self.step("Explore: actor view", views.nth(ACTOR_VIEW).click):
            return
        await self.pause()
        box = self.page.locator(f"{MAIN} .st-key-{ACTOR_SEARCH} input").first

        async def search() -> None:
            await box.fill(self.search)
            await box.press("Enter")

        if not await self.step("Explore: search", search):
            return
        self.check_search(await self.page.locator(f"{MAIN} .st-key-{ACTOR_BOX} input").first.input_value())
        await self.pause()

    async def query(self) -> None:
        tag = self.next_tag()
        area = self.page.locator(f"{MAIN} .st-key-{CYPHER} textarea").first

        async def edit() -> None:
            await area.fill(f"RETURN '{tag}' AS tag")
            await area.press("Control+Enter")  # applies the text area's value: a run

        if not await self.step("Query: edit", edit):
            return
        await self.pause()
        run = self.page.locator(f"{MAIN} .st-key-{RUN_QUERY} button").first
        if not await self.step("Query: run", run.click):
            return
        self.check_tags("Query: run", await self.ran_text(), tag)
        self.left_tag = tag
        await self.pause()

    async def ran_text(self) -> str:
        """The text of the result's "Cypher that ran" (folded away, but in the page) once it shows a
        tag, or as it is after SHOW_WAIT seconds (the code block's highlighter loads on first use)."""
        expander = self.page.locator(f'{MAIN} [data-testid="stExpander"]').filter(has_text="Cypher")
        deadline = time.monotonic() + SHOW_WAIT
        while True:
            text = await expander.first.text_content() if await expander.count() else ""
            if TAG_SEEN.search(text or "") or time.monotonic() > deadline:
                return text or ""
            await asyncio.sleep(0.05)


# --- the clients ----------------------------------------------------------------------------------------


def progress(label: str, seconds: float, until: float) -> Callable[[], None]:
    bar = tqdm(total=int(seconds), desc=label, unit="s", leave=False)

    def tick() -> None:
        bar.n = min(int(seconds), int(seconds - (until - time.monotonic())))
        bar.refresh()
        if bar.n >= int(seconds):
            bar.close()

    return tick


async def walk(sessions: list[Walker], pages: list[Page], seconds: float, label: str) -> None:
    """Every session opens the app, then goes round the pages for `seconds`."""
    await asyncio.gather(*(s.open() for s in sessions))
    until = time.monotonic() + seconds
    tick = progress(label, seconds, until)
    tours = asyncio.gather(*(s.tour(pages, until) for s in sessions))
    while not tours.done():
        await asyncio.wait([tours], timeout=1)
        tick()
    await tours


class Client:
    """How the sessions reach the app: `sessions` opens one per search of the plan, closed after."""

    def __init__(self, base: str) -> None:
        self.base = base

    async def __aenter__(self) -> Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def processes(self) -> list[psutil.Process]:
        """The client's processes, whose CPU time is the client's."""
        raise NotImplementedError

    async def pages(self) -> list[Page]:
        raise NotImplementedError

    def sessions(
        self, plan: list[tuple[str, str]], tally: Tally, think: float
    ) -> contextlib.AbstractAsyncContextManager[list[Walker]]:
        raise NotImplementedError

    async def run(
        self,
        pages: list[Page],
        plan: list[tuple[str, str]],
        tally: Tally,
        seconds: float,
        think: float,
        label: str,
    ) -> None:
        async with self.sessions(plan, tally, think) as sessions:
            await walk(sessions, pages, seconds, label)


class WsClient(Client):
    """Sessions over the websocket, all in this process's event loop."""

    def processes(self) -> list[psutil.Process]:
        return [psutil.Process()]

    async def pages(self) -> list[Page]:
        async with StreamlitSession.connect(self.base) as s:
            await s.open(timeout=STEP_TIMEOUT)
            return [Page(p.title, p.url_pathname, p.page_script_hash) for p in s.pages.values()]

    @contextlib.asynccontextmanager
    async def sessions(
        self, plan: list[tuple[str, str]], tally: Tally, think: float
    ) -> AsyncIterator[list[Walker]]:
        async with contextlib.AsyncExitStack() as stack:
            clients = [await stack.enter_async_context(StreamlitSession.connect(self.base)) for _ in plan]
            yield [WsSession(i + 1, c, plan[i], tally, think) for i, c in enumerate(clients)]


class BrowserClient(Client):
    """Sessions in one headless Chromium, a browser context each."""

    def processes(self) -> list[psutil.Process]:
        return browsers()

    async def __aenter__(self) -> BrowserClient:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self.browser = await self._playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.browser.close()
        await self._playwright.stop()

    async def pages(self) -> list[Page]:
        """The app's pages, as its sidebar navigation links them (first link: the overview)."""
        context = await self.browser.new_context()
        page = await context.new_page()
        await page.goto(self.base)
        await page.wait_for_function(IDLE, timeout=STEP_TIMEOUT * 1000, polling=50)
        links = page.locator('[data-testid="stSidebarNav"] a[data-testid="stSidebarNavLink"]')
        found = []
        for i in range(await links.count()):
            link = links.nth(i)
            title = " ".join((await link.inner_text()).split())
            found.append(Page(title, urlsplit(await link.get_attribute("href") or "").path))
        await context.close()
        return found

    @contextlib.asynccontextmanager
    async def sessions(
        self, plan: list[tuple[str, str]], tally: Tally, think: float
    ) -> AsyncIterator[list[Walker]]:
        contexts = []
        try:
            for _ in plan:
                contexts.append(await self.browser.new_context(viewport={"width": 1400, "height": 1000}))
            yield [
                BrowserSession(i + 1, await c.new_page(), self.base, plan[i], tally, think)
                for i, c in enumerate(contexts)
            ]
        finally:
            for c in contexts:
                await c.close()


# --- a run per store ---------------------------------------------------------------------------------------


@dataclass
class Outcome:
    store: str
    sessions: int
    baseline: Tally
    load: Tally
    usage: Usage


async def measure(
    store: str, base: str, server: psutil.Process, plan: list[tuple[str, str]], args: argparse.Namespace
) -> Outcome:
    client: Client = WsClient(base) if args.client == "ws" else BrowserClient(base)
    async with client:
        pages = await client.pages()
        if len(pages) < 2:
            raise SystemExit(f"the app's navigation shows {len(pages)} pages: nothing to go through")
        log.info("%s: pages %s", store, ", ".join(f"{pg.title} (/{pg.path})" for pg in pages))
        baseline = Tally(server_cpu=lambda: cpu_of(tree(server)))
        await client.run(pages, plan[:1], baseline, args.baseline_seconds, args.think, f"{store}: 1")
        load = Tally()
        with Usage(server, client.processes) as usage:
            await client.run(pages, plan, load, args.seconds, args.think, f"{store}: {args.sessions}")
    return Outcome(store, args.sessions, baseline, load, usage)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def pad(text: str, width: int) -> str:
    """`text` left-aligned in `width` columns of a terminal, where a Chinese character takes two."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(width - len(text) - wide, 0)


def print_tables(outcomes: list[Outcome], args: argparse.Namespace) -> None:
    client = "Streamlit's websocket" if args.client == "ws" else "headless Chromium"
    pause = f", {args.think:g} s ±50% after each step" if args.think else ", no pause between steps"
    print(f"\nApp load over {client}: sessions going through every page for {args.seconds:.0f} s{pause};")
    print("step times in s (p50/p95 of the load, × their ratio to one session alone on the same server;")
    print("CPU: seconds per step of the server, its query workers included, and of the client; the")
    print(f"machine's cores: {os.cpu_count()}).\n")
    head = f"{'store':<9} {'sessions':>8} {'steps':>6} {'p50':>6} {'p95':>6} {'max':>6} {'p50×':>6}"
    head += f" {'p95×':>6} {'errors':>6} {'checks':>6} {'server MB':>9} {'CPU server':>10} {'client':>7}"
    print(head)
    for o in outcomes:
        load, base = o.load.all_times(), o.baseline.all_times()
        p50, p95 = percentile(load, 50), percentile(load, 95)
        steps = max(len(load), 1)
        print(
            f"{o.store:<9} {o.sessions:>8} {len(load):>6} {p50:>6.2f} {p95:>6.2f} "
            f"{max(load, default=0):>6.2f} {p50 / percentile(base, 50):>6.1f} "
            f"{p95 / percentile(base, 95):>6.1f} "
            f"{len(o.load.errors):>6} {o.load.checks:>6} {o.usage.peak_mb:>9.0f} "
            f"{o.usage.server_cpu / steps:>10.3f} {o.usage.client_cpu / steps:>7.3f}"
        )
    for o in outcomes:
        print(
            f"\n{o.store}, by step: how many, p50 / p95 (s) under load; alone: p50 (s) and the server's "
            "CPU s per step"
        )
        width = max(len(pad(s, 0)) for s in [*o.load.times, *o.baseline.times])
        for step in dict.fromkeys([*o.baseline.times, *o.load.times]):
            times = o.load.times.get(step, [])
            alone = o.baseline.times.get(step, [])
            print(
                f"  {pad(step, width)} {len(times):>5}×  "
                f"{percentile(times, 50):>5.2f} / {percentile(times, 95):>5.2f}"
                f"   alone {percentile(alone, 50):>5.2f}  CPU {mean(o.baseline.cpu.get(step, [])):>6.3f}"
            )
        errors = o.baseline.errors + o.load.errors
        for line in errors[:20]:
            print(f"  error: {line}")
        if len(errors) > 20:
            print(f"  … and {len(errors) - 20} more errors")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--client", choices=("ws", "browser"), default="ws", help="how sessions talk to the app"
    )
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load run, per store")
    parser.add_argument("--baseline-seconds", type=float, default=20.0, help="one session alone, per store")
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds a session pauses after a step (±50%%)"
    )
    parser.add_argument("--skip-embedded", action="store_true")
    parser.add_argument("--skip-neo4j", action="store_true")
    parser.add_argument("--env-file", help="Neo4j settings (default: NEO4J_* or the test server)")
    parser.add_argument("--work", help="folder for the builds and server logs (default: temporary)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.client == "browser" and not Path(CHROMIUM).is_file():
        raise SystemExit(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set IKG_CHROMIUM)")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "IKG_"))}
    stores = [s for s, skip in (("embedded", args.skip_embedded), ("neo4j", args.skip_neo4j)) if not skip]
    if "neo4j" in stores:
        settings = {k: v for k, v in os.environ.items() if k.startswith("NEO4J_")}
        env_file = args.env_file or (None if settings.get("NEO4J_URI") else str(TEST_SERVER_ENV))
        if env_file:
            settings = read_env_file(env_file)
        if not settings.get("NEO4J_URI"):
            log.warning("no Neo4j settings (NEO4J_*, --env-file, `make neo4j-up`): the Neo4j run skipped")
            stores.remove("neo4j")
        else:
            env_neo4j = {**env, **settings}

    outcomes = []
    with tempfile.TemporaryDirectory(prefix="bench_app_load_") as tmp:
        work = Path(args.work or tmp)
        work.mkdir(parents=True, exist_ok=True)
        for store in stores:
            store_env = env if store == "embedded" else env_neo4j
            app_env = build(store, work, store_env)
            plan = search_plan(app_env, store_env, args.sessions)
            with served({**store_env, **app_env}, work / f"server-{store}.log") as (base, proc):
                outcomes.append(asyncio.run(measure(store, base, psutil.Process(proc.pid), plan, args)))
    print_tables(outcomes, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
