from pathlib import Path

import pytest

from storyline import config


def test_config_environment_overrides_default():
    cfg = config.load(env={"STORYLINE_BATCH_SIZE": "16"})
    assert cfg.batch_size == 16


def test_config_explicit_value_wins_over_environment():
    cfg = config.load(env={"STORYLINE_DB": "env.db"}, db="cli.db")
    assert cfg.db == "cli.db"


def test_config_bad_value_names_the_variable():
    with pytest.raises(ValueError, match="STORYLINE_BATCH_SIZE"):
        config.load(env={"STORYLINE_BATCH_SIZE": "lots"})


def test_config_every_setting_is_documented_in_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    missing = [s.name for s in config.SETTINGS if f"STORYLINE_{s.name.upper()}" not in readme]
    assert not missing, f"settings missing from README: {missing}"
