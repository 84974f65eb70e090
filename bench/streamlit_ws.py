"""A Streamlit session over the server's websocket (`/_stcore/stream`), speaking its protobuf protocol as
the browser's frontend does, without a browser: a load test's client that costs the machine little.

    async with StreamlitSession.connect(base) as s:
        run = await s.open()                              # the default page, a first script run
        run = await s.go(s.pages["Query"].page_script_hash)  # a page of the navigation
        run = await s.set_widget("cypher", string_value="RETURN 1")  # a widget's new value: a rerun

Like the frontend, a rerun carries the address's query string (as the app last set it), the page, every
widget value the session has set on this page, a button's trigger for that run only, and the hashes
of the large elements it keeps (the server then sends a reference instead of the element again). A
`Run` is the elements one script run sent, by their place on the page, until `script_finished`: a run
cut short for a rerun (st.rerun) is followed to the run that finishes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

STREAM = "/_stcore/stream"
WIDGET_ID_PREFIX = "$$ID-"  # "$$ID-<hash>-<key>": a widget given a key ends with it
MAX_FRAME = 2**28  # the largest message the client accepts (a network page is ~1 MB)


class ProtocolError(RuntimeError):
    """The server answered something a session cannot follow (a page not found, a compile error)."""


@dataclass(frozen=True)
class AppPage:
    title: str
    url_pathname: str
    page_script_hash: str


@dataclass
class Run:
    """What one finished script run sent: elements by delta path, and how long it took from the request."""

    elements: dict[tuple[int, ...], Element] = field(default_factory=dict)
    seconds: float = 0.0
    page_script_hash: str = ""

    def of(self, kind: str) -> list[Element]:
        """The elements of one kind ("code", "selectbox", …) in page order."""
        return [e for _, e in sorted(self.elements.items()) if e.WhichOneof("type") == kind]

    def widget(self, key: str, kind: str | None = None) -> Any:
        """The proto of the widget given `key` (its id ends with it); LookupError when it is not there."""
        for element in self.elements.values():
            which = element.WhichOneof("type")
            if kind is not None and which != kind:
                continue
            proto = getattr(element, which)
            if getattr(proto, "id", "").startswith(WIDGET_ID_PREFIX) and proto.id.endswith(f"-{key}"):
                return proto
        raise LookupError(f"no widget with key {key!r} on the page")

    def problems(self) -> list[str]:
        """Exceptions and error boxes the run showed, one line each."""
        found = []
        for element in self.elements.values():
            which = element.WhichOneof("type")
            if which == "exception":
                found.append(
                    f"an exception: {element.exception.type}: {first_line(element.exception.message)}"
                )
            elif which == "alert" and element.alert.format == Alert.ERROR:
                found.append(f"an error box: {first_line(element.alert.body)}")
        return found


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def selected(box: Any) -> str:
    """The option a selectbox (or radio) shows: the value the server set, else its default."""
    if box.set_value and box.raw_value:
        return str(box.raw_value)
    if box.HasField("default") and 0 <= box.default < len(box.options):
        return box.options[box.default]
    return ""


class StreamlitSession:
    """One Streamlit session: one websocket, one script run at a time."""

    def __init__(self, socket: Any, url: str) -> None:
        self.socket = socket
        self.url = url
        self.query_string = ""
        self.page_script_hash = ""
        self.pages: dict[str, AppPage] = {}  # by title, in the navigation's order
        self.widgets: dict[str, WidgetState] = {}  # values set on the current page
        self.cache: dict[str, ForwardMsg] = {}  # hash → a large element the server may refer to
        self._queue: asyncio.Queue[ForwardMsg | BaseException] = asyncio.Queue()
        self._reader = asyncio.create_task(self._read())

    @classmethod
    @contextlib.asynccontextmanager
    async def connect(cls, base: str, timeout: float = 30.0) -> AsyncIterator[StreamlitSession]:
        parts = urlsplit(base)
        address = f"ws://{parts.netloc}{parts.path.rstrip('/')}{STREAM}"
        socket = await websockets.connect(
            address, subprotocols=["streamlit"], max_size=MAX_FRAME, open_timeout=timeout
        )
        session = cls(socket, base)
        try:
            yield session
        finally:
            session._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await session._reader
            await socket.close()

    async def _read(self) -> None:
        try:
            async for frame in self.socket:
                if isinstance(frame, bytes):
                    msg = ForwardMsg()
                    msg.ParseFromString(frame)
                    self._queue.put_nowait(msg)
        except Exception as exc:  # a closed socket: whoever waits learns it
            self._queue.put_nowait(exc)
        else:
            self._queue.put_nowait(ConnectionError("the server closed the websocket"))

    # --- requests ------------------------------------------------------------------------------------------

    async def open(self, page_name: str = "", timeout: float = 60.0) -> Run:
        """The first run of the session: the page at `page_name` (a URL path; "" for the default page)."""
        return await self._rerun(timeout, page_name=page_name)

    async def go(self, page_script_hash: str, timeout: float = 60.0) -> Run:
        """Another page, as a click on its navigation link: the query string and widget values go."""
        if page_script_hash != self.page_script_hash:
            self.query_string = ""
            self.widgets.clear()
        return await self._rerun(timeout, page_script_hash=page_script_hash)

    async def set_widget(self, widget_id: str, timeout: float = 60.0, **value: Any) -> Run:
        """A widget's new value (`string_value="…"`, `trigger_value=True`, …), and the rerun it starts."""
        (name, v), *rest = value.items()
        if rest:
            raise ValueError("one value per widget")
        state = WidgetState(id=widget_id)
        setattr(state, name, v)
        if name.endswith("trigger_value"):  # a trigger is true for the run it starts only
            return await self._rerun(timeout, page_script_hash=self.page_script_hash, extra=[state])
        self.widgets[widget_id] = state
        return await self._rerun(timeout, page_script_hash=self.page_script_hash)

    async def _rerun(
        self,
        timeout: float,
        page_script_hash: str = "",
        page_name: str = "",
        extra: list[WidgetState] = (),
    ) -> Run:
        msg = BackMsg()
        rerun = msg.rerun_script
        rerun.query_string = self.query_string
        rerun.page_script_hash = page_script_hash
        rerun.page_name = page_name
        rerun.widget_states.widgets.extend([*self.widgets.values(), *extra])
        rerun.cached_message_hashes.extend(self.cache)
        rerun.context_info.timezone = "Asia/Shanghai"
        rerun.context_info.timezone_offset = -480
        rerun.context_info.locale = "zh-CN"
        rerun.context_info.url = self.url
        while not self._queue.empty():  # what an earlier run still sent (after a timeout) is not this run's
            item = self._queue.get_nowait()
            if isinstance(item, BaseException):
                raise item
        started = time.monotonic()
        await self.socket.send(msg.SerializeToString())
        run = await asyncio.wait_for(self._until_finished(), timeout)
        run.seconds = time.monotonic() - started
        return run

    async def _until_finished(self) -> Run:
        """Messages until a run that started after the request has finished (not cut short for a rerun)."""
        run: Run | None = None
        while True:
            item = await self._queue.get()
            if isinstance(item, BaseException):
                raise item
            kind = item.WhichOneof("type")
            if kind == "new_session":
                run = Run(page_script_hash=item.new_session.page_script_hash)
                self.page_script_hash = item.new_session.page_script_hash
            elif kind == "navigation":
                self.pages = {
                    p.page_name: AppPage(p.page_name, p.url_pathname, p.page_script_hash)
                    for p in item.navigation.app_pages
                }
                self.page_script_hash = item.navigation.page_script_hash or self.page_script_hash
            elif kind == "page_info_changed":
                self.query_string = item.page_info_changed.query_string
            elif kind == "page_not_found":
                raise ProtocolError(f"page not found: {item.page_not_found.page_name!r}")
            elif kind in ("delta", "ref_hash") and run is not None:
                self._element(run, item)
            elif kind == "script_finished" and run is not None:
                status = item.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise ProtocolError("the page did not compile")
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return run
                run = None  # st.rerun(): the next run is the one that counts

    def _element(self, run: Run, msg: ForwardMsg) -> None:
        path = tuple(msg.metadata.delta_path)
        if msg.WhichOneof("type") == "ref_hash":
            cached = self.cache.get(msg.ref_hash)
            if cached is None:
                raise ProtocolError(f"the server referred to an element never sent ({msg.ref_hash})")
            msg = cached
        elif msg.metadata.cacheable:
            self.cache[msg.hash] = msg
        if msg.delta.WhichOneof("type") == "new_element":
            run.elements[path] = msg.delta.new_element
