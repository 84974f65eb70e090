#!/usr/bin/env python3
"""Start and stop the Neo4j 5 test server (Neo4j embedded in a JVM, Bolt on 127.0.0.1).

    python tests/neo4j_server/neo4j_ctl.py up [--keep]   build if needed, start, wait until ready
    python tests/neo4j_server/neo4j_ctl.py down [--kill] stop it (SIGTERM, then SIGKILL; --kill: SIGKILL now)
    python tests/neo4j_server/neo4j_ctl.py status        running or not, and the URI
    python tests/neo4j_server/neo4j_ctl.py env [--export]  print connection.env (for eval / sourcing)

Pure standard library, so it runs with any Python 3.11+, venv or not. It needs Java 17+ to run the server
and Maven to build it (the first build downloads about 130 MB from Maven Central into ~/.m2).

Environment: NEO4J_PORT (default: a free port, chosen by the JVM), NEO4J_PASSWORD (default: random),
NEO4J_START_TIMEOUT (seconds, default 180), NEO4J_JAVA_OPTS (extra JVM options), JAVA_HOME (which java).

State lives in data/build/neo4j-test/: connection.env (NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD), server.pid,
server.log (the JVM's stdout and stderr), build.log (Maven) and data/ (the database; its logs in data/logs).

Another instance (a private server a test may crash, say) runs beside the default one with its own state
directory: `--state DIR` before the command, or NEO4J_TEST_STATE=DIR; every command then acts on that instance
only (each has its own ctl.lock). All instances share the build in target/ and build.lock in the default state
directory.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
DEFAULT_STATE = ROOT / "data" / "build" / "neo4j-test"
# STATE, DATA_DIR, CONN_FILE, PID_FILE, SERVER_LOG, BUILD_LOG, LOCK_FILE: set by use_state (below)
# Every instance runs from target/, which a build deletes and recreates: one build at a time, all instances.
BUILD_LOCK_FILE = DEFAULT_STATE / "build.lock"

POM = HERE / "pom.xml"
SRC = HERE / "src"
TARGET = HERE / "target"
BUILD_STAMP = TARGET / ".build-stamp"
MAIN_CLASS = "ikg.neo4jserver.Launcher"
HOST = "127.0.0.1"
USER = "neo4j"

JVM_OPTS = [
    "-Xms128m",
    "-Xmx512m",
    "-XX:+UseSerialGC",  # a test server on a 2-core box: fewest GC threads, smallest footprint
    "-XX:-OmitStackTraceInFastThrow",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]


class CtlError(Exception):
    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def say(message: str) -> None:
    print(f"neo4j-test: {message}", flush=True)


def tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return f"(no {path})"
    return "\n".join(text.splitlines()[-lines:])


def rel(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def use_state(state: str | Path) -> None:
    """Act on the instance whose state lives in `state` (default: data/build/neo4j-test)."""
    global STATE, DATA_DIR, CONN_FILE, PID_FILE, SERVER_LOG, BUILD_LOG, LOCK_FILE
    STATE = Path(state).expanduser().resolve()
    DATA_DIR = STATE / "data"
    CONN_FILE = STATE / "connection.env"
    PID_FILE = STATE / "server.pid"
    SERVER_LOG = STATE / "server.log"
    BUILD_LOG = STATE / "build.log"
    LOCK_FILE = STATE / "ctl.lock"


use_state(DEFAULT_STATE)


# ---------------------------------------------------------------- tools


def find_java() -> str:
    java_home = os.environ.get("JAVA_HOME")
    java = None
    if java_home and (Path(java_home) / "bin" / "java").is_file():
        java = str(Path(java_home) / "bin" / "java")
    java = java or shutil.which("java")
    need = "Java 17+ is needed for the Neo4j test server (install a JDK)"
    if not java:
        raise CtlError(need, 2)
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    except (OSError, subprocess.SubprocessError) as exc:
        raise CtlError(f"{need}: `{java} -version` failed: {exc}", 2) from exc
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not match:
        raise CtlError(f"{need}: cannot read the version from `{java} -version`:\n{out.strip()}", 2)
    major = int(match.group(1))
    if major == 1:  # "1.8.0_392"
        major = int(match.group(2) or 0)
    if major < 17:
        raise CtlError(f"{need}; found Java {major} at {java}", 2)
    return java


def find_mvn() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise CtlError("Maven (mvn) is needed to build the Neo4j test server (install Maven 3.6+)", 2)
    return mvn


# ---------------------------------------------------------------- build


def newest_source_mtime() -> float:
    files = [POM, *(p for p in SRC.rglob("*") if p.is_file())]
    return max(p.stat().st_mtime for p in files)


def needs_build() -> bool:
    if not BUILD_STAMP.is_file() or not (TARGET / "dependency").is_dir():
        return True
    return BUILD_STAMP.stat().st_mtime < newest_source_mtime()


def build(force: bool = False) -> None:
    if not force and not needs_build():
        return
    with locked(BUILD_LOCK_FILE):
        if force or needs_build():  # not done meanwhile by another instance's `up`
            _build()


def _build() -> None:
    mvn = find_mvn()
    STATE.mkdir(parents=True, exist_ok=True)
    # A clean target/: copy-dependencies would otherwise leave an older Neo4j's jars beside the new ones.
    shutil.rmtree(TARGET, ignore_errors=True)
    goals = ["package", "dependency:copy-dependencies", "-DincludeScope=runtime"]
    cmd = [mvn, "-B", "-q", "-Dstyle.color=never", "-f", str(POM), *goals]
    say("building the launcher with Maven (the first build downloads ~130 MB into ~/.m2) ...")
    started = time.monotonic()
    with BUILD_LOG.open("w", encoding="utf-8") as log:
        log.write("$ " + shlex.join(cmd) + "\n")
        log.flush()
        rc = subprocess.run(
            cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=HERE
        ).returncode
    if rc != 0:
        raise CtlError(
            f"Maven build failed (exit {rc}); last lines of {rel(BUILD_LOG)}:\n{tail(BUILD_LOG)}", 1
        )
    BUILD_STAMP.touch()
    say(f"built in {time.monotonic() - started:.0f} s")


# ---------------------------------------------------------------- process and connection state


def read_pid() -> int | None:
    try:
        return int(PID_FILE.read_text().strip())
    except (OSError, ValueError):
        return None


def is_our_server(pid: int) -> bool:
    """True if pid is alive and is this launcher (guards against a pid reused by another process)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            return MAIN_CLASS.encode() in cmdline.read_bytes()
        except OSError:
            return False
    try:  # no /proc (macOS): ask ps
        out = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True).stdout
    except OSError:
        return True
    return MAIN_CLASS in out


def read_env(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as `write_conn` writes them (shell-quoted; `export` and comments allowed)."""
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        for token in shlex.split(line.removeprefix("export ")):
            key, sep, value = token.partition("=")
            if sep:
                values[key] = value
    return values


def read_conn() -> dict[str, str]:
    try:
        return read_env(CONN_FILE)
    except OSError:
        return {}


def write_conn(uri: str, password: str) -> None:
    text = (
        "# Neo4j test server started by tests/neo4j_server/neo4j_ctl.py; removed by `down`.\n"
        f"NEO4J_URI={shlex.quote(uri)}\n"
        f"NEO4J_USER={shlex.quote(USER)}\n"
        f"NEO4J_PASSWORD={shlex.quote(password)}\n"
    )
    tmp = CONN_FILE.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    tmp.replace(CONN_FILE)


def port_of(uri: str) -> int | None:
    match = re.search(r":(\d+)/?$", uri)
    return int(match.group(1)) if match else None


def reachable(port: int, timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def running_server() -> tuple[int, str] | None:
    """(pid, uri) of a live, reachable server started from this pid file, else None."""
    pid = read_pid()
    uri = read_conn().get("NEO4J_URI", "")
    port = port_of(uri)
    if pid and port and is_our_server(pid) and reachable(port):
        return pid, uri
    return None


def stop_group(pid: int, grace: float = 30.0) -> None:
    """SIGTERM, then SIGKILL after `grace` seconds; grace 0 sends SIGKILL only."""
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        return
    # The server was started as the leader of its own session/process group; never signal anyone else's.
    target_group = pgid == pid

    def send(sig: int) -> None:
        try:
            if target_group:
                os.killpg(pgid, sig)
            else:
                os.kill(pid, sig)
        except ProcessLookupError:
            pass

    if grace > 0:
        send(signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if not alive(pid):
                return
            time.sleep(0.2)
        say(f"pid {pid} still alive after {grace:.0f} s: SIGKILL")
    send(signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and alive(pid):
        time.sleep(0.1)


def alive(pid: int) -> bool:
    try:
        # Reap it if it is our child (only when `up` stops a server it failed to start).
        waited, _ = os.waitpid(pid, os.WNOHANG)
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie counts as gone
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


# ---------------------------------------------------------------- commands


def print_how_to_connect(uri: str) -> None:
    say(f"Neo4j is up at {uri} (user {USER}); the password is in {rel(CONN_FILE)}")
    stop = "make neo4j-down" if STATE == DEFAULT_STATE else f"{rel(Path(__file__))} --state {rel(STATE)} down"
    say(f"use it with:  set -a; . {rel(CONN_FILE)}; set +a    (stop it with `{stop}`)")


def cmd_up(keep: bool) -> int:
    current = running_server()
    if current:
        say(f"already running (pid {current[0]})")
        print_how_to_connect(current[1])
        return 0
    stale = read_pid()
    if stale and is_our_server(stale):
        say(f"pid {stale} is a launcher that does not answer: stopping it")
        stop_group(stale)
    PID_FILE.unlink(missing_ok=True)
    CONN_FILE.unlink(missing_ok=True)

    java = find_java()
    build()

    STATE.mkdir(parents=True, exist_ok=True)
    if not keep:
        shutil.rmtree(DATA_DIR, ignore_errors=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)

    # Port 0: the launcher binds a free port itself and names it on its READY line (no race with a port
    # picked here and taken by someone else before the JVM binds it).
    port = int(os.environ.get("NEO4J_PORT") or 0)
    password = os.environ.get("NEO4J_PASSWORD") or secrets.token_urlsafe(18)
    timeout = float(os.environ.get("NEO4J_START_TIMEOUT") or 180)
    extra = shlex.split(os.environ.get("NEO4J_JAVA_OPTS", ""))
    classpath = os.pathsep.join([str(TARGET / "classes"), str(TARGET / "dependency" / "*")])
    cmd = [java, *JVM_OPTS, *extra, "-cp", classpath, MAIN_CLASS, str(DATA_DIR), str(port)]
    env = {**os.environ, "NEO4J_PASSWORD": password}
    env.pop("NEO4J_PORT", None)

    where = f"{HOST}:{port}" if port else f"a free port of {HOST}"
    say(f"starting Neo4j on {where} (log: {rel(SERVER_LOG)}) ...")
    started = time.monotonic()
    with SERVER_LOG.open("wb") as log:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=STATE,
            env=env,
            start_new_session=True,  # its own session and process group: survives this script and the shell
            close_fds=True,
        )
    PID_FILE.write_text(f"{proc.pid}\n")

    uri = None
    next_note = 10.0
    while True:
        elapsed = time.monotonic() - started
        match = re.search(r"^READY (bolt://\S+)$", tail(SERVER_LOG, 200), re.MULTILINE)
        if match:
            uri = match.group(1)
            break
        if proc.poll() is not None:
            PID_FILE.unlink(missing_ok=True)
            causes = re.findall(r"^Caused by: (.*)$", tail(SERVER_LOG, 10_000), re.MULTILINE)
            root_cause = f"\nroot cause: {causes[-1]}" if causes else ""
            raise CtlError(
                f"the Neo4j JVM exited with {proc.returncode} before it was ready; "
                f"last lines of {rel(SERVER_LOG)}:\n{tail(SERVER_LOG)}{root_cause}"
            )
        if elapsed > timeout:
            stop_group(proc.pid)
            PID_FILE.unlink(missing_ok=True)
            raise CtlError(
                f"Neo4j was not ready after {timeout:.0f} s (NEO4J_START_TIMEOUT); "
                f"last lines of {rel(SERVER_LOG)}:\n{tail(SERVER_LOG)}"
            )
        if elapsed >= next_note:
            say(f"still starting ... {elapsed:.0f} s")
            next_note += 10
        time.sleep(0.25)

    write_conn(uri, password)
    say(f"ready in {time.monotonic() - started:.1f} s (pid {proc.pid})")
    print_how_to_connect(uri)
    return 0


def cmd_down(kill: bool = False) -> int:
    pid = read_pid()
    if pid and is_our_server(pid):
        say(f"{'killing' if kill else 'stopping'} pid {pid} ...")
        # --kill: no clean shutdown, as in a crash (the next `up --keep` recovers from the transaction log).
        stop_group(pid, grace=0.0 if kill else 30.0)
        say("stopped" if not alive(pid) else f"pid {pid} did not stop")
    else:
        say("not running")
    PID_FILE.unlink(missing_ok=True)
    CONN_FILE.unlink(missing_ok=True)
    return 0


def cmd_status() -> int:
    current = running_server()
    if current:
        print(f"running (pid {current[0]}) at {current[1]}; credentials in {rel(CONN_FILE)}")
        return 0
    pid = read_pid()
    if pid and is_our_server(pid):
        print(f"pid {pid} is alive but not answering on {read_conn().get('NEO4J_URI', '?')}")
        return 1
    print("not running")
    return 3


def cmd_env(export: bool) -> int:
    if not CONN_FILE.is_file():
        print(f"no {rel(CONN_FILE)}: start the server with `make neo4j-up`", file=sys.stderr)
        return 3
    prefix = "export " if export else ""
    for key, value in read_conn().items():
        print(f"{prefix}{key}={shlex.quote(value)}")
    return 0


@contextlib.contextmanager
def locked(path: Path | None = None):
    """One `up`/`down` of an instance at a time (say, a developer's and a test run's), or `path`'s lock."""
    path = path or LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--state",
        metavar="DIR",
        default=os.environ.get("NEO4J_TEST_STATE") or None,
        help="state directory of the instance (default data/build/neo4j-test; env NEO4J_TEST_STATE)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="build if needed, start and wait until ready (idempotent)")
    up.add_argument("--keep", action="store_true", help="keep the data of the previous run")
    down = sub.add_parser("down", help="stop the server")
    down.add_argument("--kill", action="store_true", help="SIGKILL at once, no clean shutdown (a crash)")
    sub.add_parser("status", help="print whether it runs, and its URI")
    env = sub.add_parser("env", help="print the connection settings")
    env.add_argument("--export", action="store_true", help="prefix each line with `export `")
    sub.add_parser("build", help="(re)build the launcher only")
    args = parser.parse_args(argv)
    if args.state:
        use_state(args.state)
    try:
        if args.command == "up":
            with locked():
                return cmd_up(args.keep)
        if args.command == "down":
            with locked():
                return cmd_down(args.kill)
        if args.command == "status":
            return cmd_status()
        if args.command == "env":
            return cmd_env(args.export)
        build(force=True)
        return 0
    except CtlError as exc:
        print(f"neo4j-test: error: {exc}", file=sys.stderr)
        return exc.code


if __name__ == "__main__":
    sys.exit(main())
