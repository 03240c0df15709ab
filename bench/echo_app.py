"""The baseline for the sync drain: an ASGI app that reads each request body and answers a small JSON."""

from __future__ import annotations


async def app(scope, receive, send):  # noqa: ANN001, ANN201 - the ASGI interface
    if scope["type"] != "http":
        return
    more = True
    size = 0
    while more:
        msg = await receive()
        size += len(msg.get("body", b""))
        more = msg.get("more_body", False)
    body = b'{"ok":true,"bytes":%d}' % size
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
