"""Settings: reads the defaults file, a user file, OBSERVATORY_* variables and flags; writes one Settings."""
from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from observatory.errors import ConfigError

ENV_PREFIX = "OBSERVATORY_"
# Counts and durations that mean nothing at zero (0 attempts would mark alerts delivered
# unsent; 0 processes would parse nothing), and those that may be zero but not negative.
Count = Annotated[int, Field(ge=1)]
Zero = Annotated[int, Field(ge=0)]


class Settings(BaseModel):
    """Every setting of the project; layered defaults < user file < environment < flags."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str
    max_document_bytes: Count
    db: str
    sources_file: str
    actors_file: str
    gazetteer_file: str
    batch_size: Count
    processes: Count
    progress_threshold: Zero
    # --- review: accounts and access ---
    public_read: Literal["auto", "on", "off"]
    allowed_hosts: str
    login_attempts: Count
    login_window_seconds: Count
    session_hours: Count
    # --- watch: fetching, polling, alert delivery ---
    user_agent: str
    fetch_timeout: Annotated[float, Field(gt=0)]
    fetch_max_bytes: Count
    fetch_max_redirects: Zero
    fetch_host_delay: Annotated[float, Field(ge=0)]
    watch_retry_seconds: Count
    watch_max_backoff_seconds: Count
    alert_webhook_url: str
    alert_webhook_secret: str
    alert_webhook_attempts: Count
    alert_delivery_lease_seconds: Count


def defaults() -> dict[str, Any]:
    text = resources.files("observatory.data").joinpath("defaults.toml").read_text("utf-8")
    return tomllib.loads(text)


def user_file(env: Mapping[str, str]) -> Path:
    if env.get(ENV_PREFIX + "SETTINGS"):
        return Path(env[ENV_PREFIX + "SETTINGS"])
    base = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "observatory" / "settings.toml"


def load_settings(*, env: Mapping[str, str] | None = None, user_path: Path | None = None,
                  overrides: Mapping[str, Any] | None = None) -> Settings:
    """Build the Settings from every layer; ``overrides`` are flags (None values are ignored)."""
    env = os.environ if env is None else env
    values = defaults()
    path = user_path or user_file(env)
    if path.is_file():
        try:
            values.update(tomllib.loads(path.read_text("utf-8")))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not a valid TOML settings file ({exc})") from exc
    elif user_path is not None:
        raise ConfigError(f"{path}: settings file not found")
    for key in Settings.model_fields:
        if ENV_PREFIX + key.upper() in env:
            values[key] = env[ENV_PREFIX + key.upper()]
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    try:
        return Settings(**values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"invalid settings: {problems}") from exc
