"""The LLM writer against a real local HTTP server speaking the chat-completions protocol."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest

from storyline.embed import encode
from storyline.synth.writer import MIN_SIMILARITY, WriterError, check_answer, write


def _cite(article_id: str, outlet: str, start: int = 0, end: int = 80) -> list[dict[str, Any]]:
    return [{"article_id": article_id, "outlet": outlet, "published": "2025-10-26", "span": [start, end]}]


ITEMS = [
    {
        "text": "US Treasury Secretary Scott Bessent said on Sunday that the two sides had agreed a "
        "framework for a trade deal after two days of talks in Kuala Lumpur.",
        "lang": "en",
        "citations": _cite("a1", "Pacific Wire Service"),
    },
    {
        "text": "China will buy 12 million metric tons of US soybeans this year and 25 million tons annually "
        "over the next three years, the White House said.",
        "lang": "en",
        "citations": _cite("a2", "Asia Markets Journal") + _cite("a3", "Meridian Daily", 10, 90),
    },
    {
        "text": "Beijing agreed to pause for one year the sweeping rare earth export controls it announced "
        "on October 9.",
        "lang": "en",
        "citations": _cite("a2", "Asia Markets Journal", 200, 290),
    },
    {
        "text": "特朗普在釜山与习近平会晤后表示，将把芬太尼相关关税从20%下调至10%。",
        "lang": "zh",
        "citations": _cite("z1", "新华社"),
    },
]
HEADLINE = "US and China agree trade framework in Kuala Lumpur"

SUPPORTED = (
    "Scott Bessent said the two sides had agreed a framework for a trade deal after two days of talks "
    "in Kuala Lumpur. [1]\n"
    "China will buy 12,000,000 tons of US soybeans this year and 25 million tons annually over the next "
    "three years, the White House said [2].\n"
    "Beijing agreed to pause the rare earth export controls it announced on October 9 for one year.[3][2]"
)


def _fake_encode(texts: list[str]) -> np.ndarray:
    """Hashed bags of lower-cased words and Chinese character pairs: overlap gives similarity."""
    vecs = np.zeros((len(texts), 512), dtype=np.float32)
    for row, text in enumerate(texts):
        low = text.lower()
        features = re.findall(r"[a-z0-9]+", low)
        for run in re.findall(r"[\u4e00-\u9fff]+", low):
            features.extend(run[i : i + 2] for i in range(max(1, len(run) - 1)))
        for feature in features:
            vecs[row, zlib.crc32(feature.encode()) % 512] += 1.0
    return vecs


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler still sleeping must not hold up the test's end

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply: str | bytes | dict[str, Any] = ""
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.requests.append(
            {"path": self.path, "headers": dict(self.headers), "body": json.loads(body)}
        )
        time.sleep(self.server.delay)
        if self.path != "/v1/chat/completions":
            self._send(404, b'{"error": {"message": "not found"}}')
            return
        reply = self.server.reply
        if isinstance(reply, str):
            reply = {
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "model": "tiny-test-model",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}}],
            }
        self._send(self.server.status, reply if isinstance(reply, bytes) else json.dumps(reply).encode())

    def _send(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # keeps the test output clean
        pass


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _write(server: _Server, answer: str, **kwargs: Any) -> Any:
    server.reply = answer
    kwargs.setdefault("encode", _fake_encode)
    return write(ITEMS, HEADLINE, kwargs.pop("lang", "en"), server.url, "my-model", **kwargs)


def _reasons(result: Any) -> list[tuple[str, str]]:
    return [(d["reason"], d["text"]) for d in result.dropped]


def test_supported_answer_keeps_every_sentence(server: _Server) -> None:
    result = _write(server, "<think>The user wants a summary.</think>\n" + SUPPORTED, key="sekrit")

    assert [s["sources"] for s in result.sentences] == [[1], [2], [2, 3]]
    assert result.dropped == []
    assert result.sentences[0]["text"].endswith("in Kuala Lumpur.")
    assert "[" not in "".join(s["text"] for s in result.sentences)
    assert all(s["similarity"] >= MIN_SIMILARITY for s in result.sentences)
    # Citations are merged from the cited items, each once.
    assert [c["article_id"] for c in result.sentences[2]["citations"]] == ["a2", "a3", "a2"]
    assert result.model == "tiny-test-model"
    assert result.url == server.url + "/v1/chat/completions"

    (request,) = server.requests
    body = request["body"]
    assert body["model"] == "my-model" and body["temperature"] == 0
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "English" in body["messages"][0]["content"] and "[1][3]" in body["messages"][0]["content"]
    assert "[4] 特朗普在釜山" in body["messages"][1]["content"] and HEADLINE in body["messages"][1]["content"]
    assert request["headers"]["Authorization"] == "Bearer sekrit"


@pytest.mark.parametrize("suffix", ["", "/", "/v1", "/v1/", "/v1/chat/completions"])
def test_base_url_with_or_without_v1(server: _Server, suffix: str) -> None:
    server.reply = SUPPORTED
    result = write(ITEMS, HEADLINE, "en", server.url + suffix, "m", encode=_fake_encode)
    assert len(result.sentences) == 3
    assert "Authorization" not in server.requests[0]["headers"]


def test_invented_figure_is_dropped(server: _Server) -> None:
    answer = (
        SUPPORTED
        + "\nChina will buy 15 million metric tons of US soybeans this year, the White House said. [2]"
    )
    result = _write(server, answer)
    assert len(result.sentences) == 3
    (dropped,) = result.dropped
    assert dropped["reason"] == "figure" and "15 million metric tons" in dropped["detail"]
    assert dropped["sources"] == [2]


def test_figures_may_be_rewritten_or_rounded_but_not_changed() -> None:
    items = [{"text": "Exports rose 12.4% to $1.23 billion in October, the ministry said.", "lang": "en"}]
    kept = "Exports rose 12% to $1.2 billion in October, the ministry said. [1]"
    assert check_answer(kept, items, "en", _fake_encode).dropped == []
    for changed in ("Exports rose 15% to $1.23 billion", "Exports rose 12.4% to 1.23 billion yuan"):
        result = check_answer(changed + " in October, the ministry said. [1]", items, "en", _fake_encode)
        assert [d["reason"] for d in result.dropped] == ["figure"]
    dated = check_answer(
        "Exports rose 12.4% in November 2025, the ministry said. [1]", items, "en", _fake_encode
    )
    assert "2025" in dated.dropped[0]["detail"]


def test_invented_name_is_dropped(server: _Server) -> None:
    answer = (
        "Commerce Secretary Howard Lutnick said the two sides had agreed a framework for a trade deal after "
        "two days of talks in Kuala Lumpur. [1]\n" + SUPPORTED
    )
    result = _write(server, answer)
    assert len(result.sentences) == 3
    (dropped,) = result.dropped
    assert dropped["reason"] == "entity" and "Howard" in dropped["detail"] and "Lutnick" in dropped["detail"]


def test_sentence_citing_no_source_is_dropped(server: _Server) -> None:
    result = _write(server, "Markets rallied on the news.\n" + SUPPORTED)
    assert len(result.sentences) == 3
    assert _reasons(result) == [("no citation", "Markets rallied on the news.")]


def test_wrong_marker_number(server: _Server) -> None:
    answer = (
        "The two sides had agreed a framework for a trade deal in Kuala Lumpur, Bessent said. [7]\n"
        "Beijing agreed to pause the rare earth export controls it announced on October 9 for one year."
        " [3][9]"
    )
    result = _write(server, answer)
    assert [d["reason"] for d in result.dropped] == ["invalid citation"]
    assert "[7]" in result.dropped[0]["detail"] and "1 to 4" in result.dropped[0]["detail"]
    # A sentence that also cites a real source is judged on that source alone.
    assert [s["sources"] for s in result.sentences] == [[3]]


def test_off_topic_sentence_is_dropped_for_similarity() -> None:
    result = check_answer(
        "The European Union fined Google for breaching competition rules. [1]", ITEMS, "en", _fake_encode
    )
    assert [d["reason"] for d in result.dropped] == ["similarity"]


def test_markers_go_with_the_sentence_they_follow() -> None:
    answer = (
        "## Summary\n"
        "- **Scott Bessent** said the two sides had agreed a framework for a trade deal in Kuala Lumpur. [1] "
        "Beijing agreed to pause the rare earth export controls it announced on October 9 [3]."
    )
    result = check_answer(answer, ITEMS, "en", _fake_encode)
    assert [(s["text"][:13], s["sources"]) for s in result.sentences] == [
        ("Scott Bessent", [1]),
        ("Beijing agree", [3]),
    ]


@pytest.mark.slow
def test_chinese_answer_is_checked_across_languages(server: _Server) -> None:
    answer = (
        "美国财长贝森特表示，双方在吉隆坡经过两天会谈后达成贸易协议框架。[1]\n"
        "白宫称，中国今年将购买1200万吨美国大豆。[2]\n"
        "白宫称，中国今年将购买1500万吨美国大豆。[2]\n"
        "特朗普与习近平在釜山会晤后表示，芬太尼关税将从20%降至10%。[4]\n"
        "中方同意将10月9日宣布的稀土出口管制暂停一年，华为也将获准采购美国芯片。[3]"
    )
    result = _write(server, answer, lang="zh", encode=encode)
    kept = [s["text"] for s in result.sentences]
    assert kept == [
        "美国财长贝森特表示，双方在吉隆坡经过两天会谈后达成贸易协议框架。",
        "白宫称，中国今年将购买1200万吨美国大豆。",
        "特朗普与习近平在釜山会晤后表示，芬太尼关税将从20%降至10%。",
    ]
    assert [d["reason"] for d in result.dropped] == ["figure", "entity"]
    assert "华为" in result.dropped[1]["detail"]
    assert "Simplified Chinese" in server.requests[0]["body"]["messages"][0]["content"]


# (sentence, cited source numbers): a handful of the pairs MIN_SIMILARITY was measured on.
_MEASURED_SUPPORTED = [
    ("Beijing will suspend its rare earth export controls for a year.", [3]),
    ("After two days of negotiations in Kuala Lumpur, US and Chinese officials agreed on a trade framework, "
     "according to Bessent.", [1]),
    ("中方同意将稀土出口管制暂停一年。", [3]),
    ("The framework agreed in Kuala Lumpur includes Chinese soybean purchases and a one-year pause of rare "
     "earth controls.", [1, 2, 3]),
    ("Trump said the fentanyl tariff on Chinese goods would fall from 20% to 10%.", [4]),
]  # fmt: skip
_MEASURED_UNSUPPORTED = [
    ("Bessent said China would buy 12 million tons of soybeans this year.", [1]),
    ("The talks in Kuala Lumpur collapsed without agreement.", [4]),
    ("特朗普威胁对中国商品加征100%关税。", [3]),
    ("Analysts expect the Federal Reserve to cut interest rates in December.", [2]),
]


@pytest.mark.slow
def test_threshold_separates_measured_pairs_with_the_real_encoder() -> None:
    for sentences, keep in ((_MEASURED_SUPPORTED, True), (_MEASURED_UNSUPPORTED, False)):
        for text, sources in sentences:
            answer = text + "".join(f"[{n}]" for n in sources)
            result = check_answer(
                answer, ITEMS, "zh" if "。" in text else "en", min_similarity=MIN_SIMILARITY
            )
            similarity = (result.sentences or result.dropped)[0]["similarity"]
            reasons = [d["reason"] for d in result.dropped]
            assert ("similarity" not in reasons) == keep, (text, similarity, result.dropped)


def test_unreachable_writer_says_what_to_do() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(WriterError) as e:
        write(ITEMS, HEADLINE, "en", f"http://127.0.0.1:{port}", "m", encode=_fake_encode)
    message = str(e.value)
    assert f"cannot reach the writer at http://127.0.0.1:{port}/v1/chat/completions" in message
    assert "connection refused" in message and "drop --writer llm" in message


def test_server_error_is_a_writer_error(server: _Server) -> None:
    server.status = 500
    with pytest.raises(WriterError, match=r"answered HTTP 500: model crashed; check the server's log"):
        _write(server, {"error": {"message": "model crashed"}})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("reply", "said"),
    [
        (b"<html>not an API</html>", "did not answer with JSON"),
        ({"object": "list", "data": []}, "without choices[0].message.content"),
        ("   ", "empty answer"),
        ("<think>Hmm.</think>", "empty answer"),
    ],
)
def test_unusable_answers_are_writer_errors(server: _Server, reply: Any, said: str) -> None:
    with pytest.raises(WriterError, match=re.escape(said)):
        _write(server, reply)


def test_slow_writer_times_out(server: _Server) -> None:
    server.delay = 1.0
    with pytest.raises(WriterError, match=r"did not answer within 0.2s"):
        _write(server, SUPPORTED, timeout=0.2)


@pytest.mark.parametrize(("url", "said"), [("", "set STORYLINE_LLM_URL"), ("localhost:8080", "http://")])
def test_bad_url_or_nothing_to_write(url: str, said: str) -> None:
    with pytest.raises(WriterError, match=re.escape(said)):
        write(ITEMS, HEADLINE, "en", url, "m", encode=_fake_encode)
    with pytest.raises(WriterError, match="nothing for the writer"):
        write([], HEADLINE, "en", "http://127.0.0.1:1", "m", encode=_fake_encode)
