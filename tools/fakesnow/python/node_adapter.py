"""fakesnow for the Node.js snowflake-sdk: test infrastructure, a fake Snowflake, never the real one.

Serves fakesnow's own HTTP app (Snowflake SQL run by DuckDB) behind an ASGI wrapper that answers the way the Node SDK
needs. fakesnow speaks to the Python connector, which differs from the Node SDK in what it accepts (issue 6):
- results: fakesnow sends every query result as Arrow (`rowsetBase64`); the Node SDK reads only JSON rowsets, in
  Snowflake's JSON encodings (see `_encoder`);
- `returned` (rows in this response) is missing from DML answers, and the SDK's row stream waits for it forever;
- an unhandled fakesnow error is an HTTP 500, which the SDK retries for minutes: it becomes `success: false`;
- CLIENT_STAGE_ARRAY_BINDING_THRESHOLD 0 makes the SDK stage every array bind: the adapter answers Snowflake's default;
- a PUT needs `stageInfo.region`, and the SDK asks the presigned URL whether the file exists (GET) before uploading;
- the SDK posts telemetry, which fakesnow has no route for;
- DuckDB refuses a write-write conflict at once, unhandled by fakesnow (a bare 500): it is reported as the lock error
  Snowflake gives a writer that cannot get a row's lock (see `report_conflicts_as_lock_errors`);
- MERGE fails inside any transaction (see `skip_empty_table_comments`).

Run as `<venv>/bin/python node_adapter.py`: it binds 127.0.0.1 on a port the OS picks (no fixed port, so parallel test
runs never collide), prints `fakesnow listening on http://127.0.0.1:<port>` once it accepts connections, and stops when
its standard input closes: the harness closes it to stop the fake, and so does the end of a test process that never
got to (a crashed or killed jest worker), so no fake outlives its tests.
"""

from __future__ import annotations

import base64
import json
import logging
import math
import os
import shutil
import socket
import sys
import threading
import warnings
from datetime import date
from decimal import Decimal
from typing import Any, Callable

import duckdb
import pyarrow as pa
import snowflake.connector.errors
import uvicorn

import fakesnow.server
import fakesnow.transforms
from fakesnow.cursor import FakeSnowflakeCursor
from fakesnow.transforms import stage

QUERY_PATH = "/queries/v1/query-request"
LOGIN_PATH = "/session/v1/login-request"
BUCKET_PREFIX = "/fs_bucket/"
# Snowflake's default: up to this many bound values (rows x columns) an array bind is sent inline.
ARRAY_BINDING_THRESHOLD = 65280
EPOCH = date(1970, 1, 1)
# Session parameters Snowflake sends with every result and the SDK reads to decode it (BINARY_OUTPUT_FORMAT above all:
# without it the SDK fails on a BINARY column); fakesnow sends only TIMEZONE. These are Snowflake's defaults.
RESULT_PARAMETERS = {
    "BINARY_OUTPUT_FORMAT": "HEX",
    "DATE_OUTPUT_FORMAT": "YYYY-MM-DD",
    "TIME_OUTPUT_FORMAT": "HH24:MI:SS",
    "TIMESTAMP_OUTPUT_FORMAT": "YYYY-MM-DD HH24:MI:SS.FF3 TZHTZM",
    "TIMESTAMP_NTZ_OUTPUT_FORMAT": "",
    "TIMESTAMP_LTZ_OUTPUT_FORMAT": "",
    "TIMESTAMP_TZ_OUTPUT_FORMAT": "",
    "TIMEZONE": "Etc/UTC",
}


def _seconds(nanoseconds: int) -> str:
    """Snowflake's JSON form of times and timestamps: seconds since the epoch (or midnight) with a 9-digit fraction."""
    sign = "-" if nanoseconds < 0 else ""
    whole, fraction = divmod(abs(nanoseconds), 1_000_000_000)
    return f"{sign}{whole}.{fraction:09d}"


def _real(value: float) -> str:
    # The SDK converts with JavaScript's Number(), which reads these spellings of the special values.
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return repr(value)


def _fixed(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _timestamp(value: dict[str, int]) -> str | None:
    # fakesnow's Arrow timestamps are structs of whole epoch seconds (floored) and nanoseconds within the second; a
    # null timestamp is a struct of nulls.
    if value["epoch"] is None:
        return None
    return _seconds(value["epoch"] * 1_000_000_000 + value["fraction"])


ENCODERS: dict[str, Callable[[Any], str | None]] = {
    "fixed": _fixed,
    "real": _real,
    "boolean": lambda value: "1" if value else "0",
    "date": lambda value: str((value - EPOCH).days),
    # fakesnow sends TIME as nanoseconds since midnight.
    "time": _seconds,
    "timestamp_ntz": _timestamp,
    "timestamp_ltz": _timestamp,
    # The timezone index is the UTC offset in minutes + 1440, as Snowflake sends it after the seconds.
    "timestamp_tz": lambda value: None if value["epoch"] is None else f"{_timestamp(value)} {value.get('timezone', 1440)}",
    "binary": lambda value: bytes(value).hex().upper(),
}


def _encoder(sf_type: str) -> Callable[[Any], str | None]:
    # text, variant, object and array are text already (VARIANT as JSON text).
    return ENCODERS.get(sf_type.lower(), str)


def arrow_to_rowset(rowset_base64: str, rowtype: list[dict[str, Any]]) -> list[list[str | None]]:
    """Decodes an Arrow IPC stream into Snowflake's JSON rowset: rows of strings, nulls as null."""
    if not rowset_base64:
        return []
    table = pa.ipc.open_stream(base64.b64decode(rowset_base64)).read_all()
    columns = []
    for column, info in zip(table.columns, rowtype, strict=True):
        encode = _encoder(str(info["type"]))
        columns.append([None if value is None else encode(value) for value in column.to_pylist()])
    return [list(row) for row in zip(*columns)]


def rewrite_query(status: int, body: dict[str, Any]) -> dict[str, Any]:
    if status >= 500:
        code = str(body.get("code") or "261000")
        message = str(body.get("message") or f"fakesnow answered HTTP {status}")
        return {"success": False, "code": code, "message": message, "data": {"errorCode": code, "sqlState": "XX000"}}
    data = body.get("data")
    if not isinstance(data, dict):
        return body
    parameters = data.setdefault("parameters", [])
    present = {parameter.get("name") for parameter in parameters}
    parameters.extend({"name": name, "value": value} for name, value in RESULT_PARAMETERS.items() if name not in present)
    if data.get("queryResultFormat") == "arrow":
        data["rowset"] = arrow_to_rowset(data.pop("rowsetBase64", ""), data.get("rowtype") or [])
        data["queryResultFormat"] = "json"
    if isinstance(data.get("rowset"), list):
        data.setdefault("returned", len(data["rowset"]))
    stage_info = data.get("stageInfo")
    if isinstance(stage_info, dict):
        # Only used to build a storage URL, which the presigned URL makes unnecessary; the SDK reads it regardless.
        stage_info.setdefault("region", "fakesnow")
    return body


def rewrite_login(status: int, body: dict[str, Any]) -> dict[str, Any]:
    data = body.get("data")
    for parameter in (data or {}).get("parameters") or []:
        if parameter.get("name") == "CLIENT_STAGE_ARRAY_BINDING_THRESHOLD":
            parameter["value"] = ARRAY_BINDING_THRESHOLD
    return body


REWRITES = {QUERY_PATH: rewrite_query, LOGIN_PATH: rewrite_login}


async def _send_json(send: Any, body: dict[str, Any], status: int = 200) -> None:
    payload = json.dumps(body).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": payload})


class NodeSdkAdapter:
    """ASGI wrapper around fakesnow's app: answers what fakesnow lacks, rewrites what the Node SDK cannot read."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path, method = scope["path"], scope["method"]
        if method == "GET" and path.startswith(BUCKET_PREFIX):
            # Asked before a PUT uploads: 404 means "not there yet", so the upload goes ahead.
            target = os.path.join(stage.LOCAL_BUCKET_PATH, path[len(BUCKET_PREFIX) :])
            return await _send_json(send, {}, 200 if os.path.isfile(target) else 404)
        if path.startswith("/telemetry/"):
            return await _send_json(send, {"success": True, "data": None})
        rewrite = REWRITES.get(path)
        if rewrite is None:
            return await self.app(scope, receive, send)

        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, capture)
        status = int(start.get("status", 500))
        try:
            body = json.loads(b"".join(chunks) or b"{}")
        except ValueError:
            body = {"message": b"".join(chunks).decode(errors="replace")[:2000]}
        try:
            answer = rewrite(status, body)
        except Exception as e:  # noqa: BLE001
            # A bug here must fail the statement, not the request: the SDK retries an HTTP 500 for minutes.
            logging.getLogger("fakesnow.node_adapter").exception("rewriting %s failed", path)
            answer = rewrite_query(500, {"code": "261000", "message": f"the fakesnow adapter failed: {e!r}"})
        await _send_json(send, answer)


def report_conflicts_as_lock_errors() -> None:
    """Two sessions writing one row: Snowflake makes the second wait for the first's lock and fails it with 000625
    (57014) when it cannot have it; DuckDB fails it at once ("TransactionContext Error: Conflict on ..."), which fakesnow
    leaves unhandled. Raising Snowflake's error instead keeps the reason and the kind of failure a client sees."""
    execute = FakeSnowflakeCursor._execute  # noqa: SLF001

    def _execute(self: FakeSnowflakeCursor, *args: Any, **kwargs: Any) -> None:
        try:
            execute(self, *args, **kwargs)
        except duckdb.TransactionException as e:
            if "Conflict" not in str(e):
                raise
            message = f"Statement was aborted because a lock on its rows is held by another transaction ({e})"
            raise snowflake.connector.errors.ProgrammingError(msg=message, errno=625, sqlstate="57014") from e

    FakeSnowflakeCursor._execute = _execute  # type: ignore[method-assign]  # noqa: SLF001


def skip_empty_table_comments() -> None:
    """fakesnow records a table's comment in its global catalog database for every CREATE TABLE with properties, a null
    one included. Its MERGE runs through a CREATE TEMPORARY TABLE, and DuckDB lets one transaction write to one database
    only: every MERGE inside BEGIN ... COMMIT failed. Dropping the record of a null comment (nothing to record) fixes
    that; real comments are still kept."""
    extract = fakesnow.transforms.extract_comment_on_table

    def extract_comment_on_table(expression: Any) -> Any:
        transformed = extract(expression)
        comment = transformed.args.get("table_comment")
        if comment is not None and comment[1] is None:
            del transformed.args["table_comment"]
        return transformed

    fakesnow.transforms.extract_comment_on_table = extract_comment_on_table


class AnnouncingServer(uvicorn.Server):
    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        host, port = sockets[0].getsockname()[:2] if sockets else ("?", 0)
        print(f"fakesnow listening on http://{host}:{port}", flush=True)


def stop_when_stdin_closes(server: uvicorn.Server) -> None:
    def wait() -> None:
        sys.stdin.buffer.read()
        server.should_exit = True

    threading.Thread(target=wait, name="stdin watch", daemon=True).start()


def main() -> int:
    logging.getLogger("fakesnow.server").setLevel(logging.WARNING)
    # fakesnow's DuckDB calls warn about an extra copy of every Arrow result; it is the fake's cost, not ours.
    warnings.filterwarnings("ignore", message="Arrow output on a DB-API result")
    report_conflicts_as_lock_errors()
    skip_empty_table_comments()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(NodeSdkAdapter(fakesnow.server.app), log_level="warning", access_log=False, lifespan="off")
    server = AnnouncingServer(config)
    stop_when_stdin_closes(server)
    try:
        server.run(sockets=[sock])
    finally:
        # fakesnow keeps internal stages in a temporary directory it never removes.
        shutil.rmtree(stage.LOCAL_BUCKET_PATH, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
