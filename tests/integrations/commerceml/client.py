"""A small 1C:Enterprise of the tests: it runs the exchange protocol against
/exchange/1c/ through the Django test client as 1C does — Basic credentials at
`checkauth`, then the cookie it was answered, files in chunks — and parses what
the shop says."""

import base64
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from defusedxml.ElementTree import fromstring

URL = "/exchange/1c/"
FILES = Path(__file__).parent / "files"


def fixture(name: str) -> bytes:
    return (FILES / name).read_bytes()


@dataclass
class Reply:
    status: int
    lines: list[str]
    content: bytes

    @property
    def ok(self) -> bool:
        return self.lines[:1] == ["success"]

    @property
    def failed(self) -> bool:
        return self.lines[:1] == ["failure"]

    @property
    def reason(self) -> str:
        return "\n".join(self.lines[1:])


class OneC:
    def __init__(self, client, *, email: str, password: str):
        self.client = client
        self.email = email
        self.password = password

    def _reply(self, response) -> Reply:
        text = response.content.decode("utf-8")
        return Reply(
            response.status_code, text.rstrip("\n").split("\n"), response.content
        )

    def call(self, kind: str, mode: str, *, body: bytes | None = None, **params):
        query = {"type": kind, "mode": mode, **params}
        if body is None:
            return self._reply(self.client.get(URL, query))
        url = f"{URL}?{urlencode(query)}"
        return self._reply(
            self.client.post(url, body, content_type="application/octet-stream")
        )

    def checkauth(self, kind: str = "catalog") -> Reply:
        self.client.cookies.clear()
        token = base64.b64encode(f"{self.email}:{self.password}".encode()).decode()
        response = self.client.get(
            URL,
            {"type": kind, "mode": "checkauth"},
            HTTP_AUTHORIZATION=f"Basic {token}",
        )
        reply = self._reply(response)
        self.client.cookies.clear()  # 1C keeps only what the answer says
        if reply.ok:
            name, value = reply.lines[1], reply.lines[2]
            self.client.cookies[name] = value
        return reply

    def init(self, kind: str = "catalog") -> dict[str, str]:
        reply = self.call(kind, "init")
        assert reply.status == 200, reply
        return dict(line.split("=", 1) for line in reply.lines)

    def upload(
        self, name: str, data: bytes, *, chunks: int = 2, kind="catalog"
    ) -> Reply:
        size = -(-len(data) // chunks)
        reply = None
        for start in range(0, len(data), size):
            reply = self.call(
                kind, "file", body=data[start : start + size], filename=name
            )
            if not reply.ok:
                return reply
        return reply

    def import_file(self, name: str) -> Reply:
        return self.call("catalog", "import", filename=name)

    def send_catalog(self, *files: tuple[str, bytes]) -> list[Reply]:
        """A whole catalogue exchange: checkauth, init, each file in two chunks
        and imported."""
        assert self.checkauth().ok
        self.init()
        replies = []
        for name, data in files:
            assert self.upload(name, data).ok
            replies.append(self.import_file(name))
        return replies

    def orders(self):
        """`sale&mode=query`: the XML parsed back."""
        response = self.client.get(URL, {"type": "sale", "mode": "query"})
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"].startswith("application/xml")
        assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        return fromstring(response.content)
