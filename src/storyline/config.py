"""Every setting, declared once: name, default, help.

Sources are layered in one order: defaults, then ``STORYLINE_<NAME>``
environment variables, then explicit keyword arguments (what the CLI passes).
``storyline settings`` prints this table; a test checks that every setting is
documented in the README.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    help: str
    # Smallest and largest allowed values, for numbers.
    low: float | None = None
    high: float | None = None


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "storyline.db", "SQLite file (or database URL) where everything is stored."),
    Setting("batch_size", 128, "Articles processed and committed together.", 1, 100_000),
    Setting("max_file_mb", 20.0, "Largest single-document file read; JSON Lines stream past it.", 0.001),
    Setting("embed_chars", 1500, "Characters of title and lead given to the embedding model.", 1),
    Setting("entity_chars", 3000, "Characters of each article tagged for entities.", 1),
    Setting("aliases", "", "Your own alias file (TSV: key, type, names) added to the bundled table."),
    Setting("threads", 0, "CPU threads for the embedding model (0: the cores the workers leave).", 0, 256),
    Setting("workers", 1, "Processes for the language stages beside the embedding (0: run inline).", 0, 1),
    Setting("api_token", "", "Bearer token writes to `storyline serve` must send (none: writes answer 403)."),
    Setting("read_token", "", "Bearer token reads from `storyline serve` must send (none: reads are open)."),
    Setting("llm_url", "", "OpenAI-compatible server for `--writer llm` (llama.cpp, Ollama, vLLM)."),
    Setting("llm_model", "default", "Model name sent to the `--writer llm` server."),
    Setting("llm_key", "", "API key for the `--writer llm` server, if it wants one."),
    Setting(
        "dedupe_threshold",
        0.6,
        "Estimated Jaccard similarity above which an article is a near-duplicate.",
        0.05,
        1.0,
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class Config:
    """Resolved settings; attribute access by name."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def _coerce(setting: Setting, raw: Any) -> Any:
    kind = type(setting.default)
    try:
        value = kind(raw)
    except (TypeError, ValueError):
        raise ValueError(f"STORYLINE_{setting.name.upper()}={raw!r} is not a valid {kind.__name__}") from None
    too_low = setting.low is not None and value < setting.low
    too_high = setting.high is not None and value > setting.high
    if too_low or too_high:
        allowed = (
            f"at least {setting.low:g}" if setting.high is None else (f"{setting.low:g} to {setting.high:g}")
        )
        raise ValueError(f"STORYLINE_{setting.name.upper()}={raw!r} is out of range ({allowed})")
    return value


def load(env: Mapping[str, str] | None = None, **overrides: Any) -> Config:
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for s in SETTINGS:
        values[s.name] = s.default
        raw = env.get(f"STORYLINE_{s.name.upper()}")
        if raw is not None and raw != "":
            values[s.name] = _coerce(s, raw)
    for name, value in overrides.items():
        if name not in _BY_NAME:
            raise ValueError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = _coerce(_BY_NAME[name], value)
    return Config(values)
