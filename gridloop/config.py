"""Settings from the environment (and command-line flags, which win)."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DB = "gridloop.db"


class ConfigError(ValueError):
    """A configuration file that cannot be used, with where and why."""


def _whole(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"environment variable {name}: {raw!r} is not a whole number") from None


def _positive(env: Mapping[str, str], name: str, default: int) -> int:
    value = _whole(env, name, default)
    if value < 1:
        raise ConfigError(f"environment variable {name}: {value} must be at least 1")
    return value


@dataclass(frozen=True)
class Settings:
    db_path: Path
    rules_path: Path | None = None  # TOML: [electrical_fire.residual_current_high] threshold = 320
    max_future_s: int = 300
    max_age_s: int = 7 * 24 * 3600
    readings_retention_days: int = 90
    config_path: Path | None = None  # TOML: [cases], [sla], [routing], [merge], [notify]
    calendar_path: Path | None = None  # TOML working calendar; None: the packaged one
    max_messages_per_request: int = 5_000  # telemetry over HTTP: more is 413
    max_malformed_lines: int = 100  # …and once this many (and most) are garbage, 400

    @classmethod
    def from_env(cls, db: str | None = None) -> Settings:
        env = os.environ
        rules = env.get("GRIDLOOP_RULES")
        config, calendar = env.get("GRIDLOOP_CONFIG"), env.get("GRIDLOOP_CALENDAR")
        return cls(
            db_path=Path(db or env.get("GRIDLOOP_DB") or DEFAULT_DB),
            rules_path=Path(rules) if rules else None,
            max_future_s=_whole(env, "GRIDLOOP_MAX_FUTURE_S", 300),
            max_age_s=_whole(env, "GRIDLOOP_MAX_AGE_S", 7 * 24 * 3600),
            readings_retention_days=_whole(env, "GRIDLOOP_RETENTION_DAYS", 90),
            config_path=Path(config) if config else None,
            calendar_path=Path(calendar) if calendar else None,
            max_messages_per_request=_positive(env, "GRIDLOOP_MAX_MESSAGES_PER_REQUEST", 5_000),
            max_malformed_lines=_positive(env, "GRIDLOOP_MAX_MALFORMED_LINES", 100),
        )

    def document(self) -> dict[str, object]:
        """The settings file as a table ({} without one); ConfigError says where it breaks."""
        if self.config_path is None:
            return {}
        try:
            return tomllib.loads(self.config_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{self.config_path}: {e}") from e

    def calendar_text(self) -> str:
        """The working calendar's TOML: the configured file, or the packaged Chinese one."""
        if self.calendar_path is not None:
            try:
                return self.calendar_path.read_text(encoding="utf-8")
            except OSError as e:
                raise ConfigError(f"{self.calendar_path}: {e}") from e
        from importlib import resources

        packaged = resources.files("gridloop") / "data" / "calendar" / "cn-workdays.toml"
        return packaged.read_text(encoding="utf-8")

    def rule_params(self) -> dict[str, dict[str, float]]:
        """Kind-level rule parameters from the rules file: {"kind.rule": {param: value}}."""
        if self.rules_path is None:
            return {}
        try:
            doc = tomllib.loads(self.rules_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as e:
            raise ConfigError(f"{self.rules_path}: {e}") from e
        params: dict[str, dict[str, float]] = {}
        for kind, rules in doc.items():
            if not isinstance(rules, dict):
                raise ConfigError(f"{self.rules_path}: [{kind}] must be a table of rules")
            for rule, values in rules.items():
                if not isinstance(values, dict) or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) for v in values.values()
                ):
                    raise ConfigError(
                        f"{self.rules_path}: [{kind}.{rule}] must map params to numbers"
                    )
                params[f"{kind}.{rule}"] = {k: float(v) for k, v in values.items()}
        return params
