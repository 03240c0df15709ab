"""Settings: every key has a type and a range, checked in one place, and a bad one names itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from pos.config import KNOWN_KEYS, LANGUAGES, SETTINGS, ConfigError, load_config, typed_setting


def write(tmp_path: Path, text: str) -> Path:
    file = tmp_path / "config.toml"
    file.write_text(text, encoding="utf-8")
    return file


def refused(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, text), db=tmp_path / "t.db")
    return err.value


def test_every_known_key_has_a_type_and_range() -> None:
    assert set(SETTINGS) == KNOWN_KEYS


def test_a_shop_sets_up_its_counter_in_the_file(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, 'store = "PM"\nterminal = "PM02"\ntimezone_offset_hours = 8\nlanguage = "en"\n'
                                      'lock_after_minutes = 0\npaper_width = 58\nencoding = "GBK"\n'
                                      'db = "~/till.db"\nsync_url = "https://office.example:8443"\nscale = ""\n'),
                      printer="dummy:")
    assert (cfg.store, cfg.terminal_id, cfg.language, cfg.lock_after_minutes, cfg.columns) == ("PM", "PM02", "en", 0, 32)
    assert cfg.encoding == "gbk" and cfg.db == Path("~/till.db").expanduser() and cfg.scale is None
    assert cfg.sync_url == "https://office.example:8443"


@pytest.mark.parametrize(("line", "key", "words"), [
    ("timezone_offset_hours = 99", "timezone_offset_hours", "from -12 to 14"),
    ("timezone_offset_hours = -13", "timezone_offset_hours", "from -12 to 14"),
    ("timezone_offset_hours = 5.5", "timezone_offset_hours", "whole number"),
    ("db = 5", "db", "path"),
    ('db = ""', "db", "path"),
    ("backup_dir = true", "backup_dir", "path"),
    ('language = "xx"', "language", "zh_CN, en"),
    ("lock_after_minutes = -1", "lock_after_minutes", "from 0 to"),
    ("paper_width = 76", "paper_width", "58 or 80"),
    ('paper_width = "80"', "paper_width", "58 or 80"),
    ('encoding = "utf-8"', "encoding", "gb18030"),
    ("sync_batch_size = 0", "sync_batch_size", "from 1 to 5000"),
    ("backup_keep = true", "backup_keep", "whole number"),
    ('sync_url = "office:8080"', "sync_url", "http://host:8080"),
    ('sync_url = "http://[::1"', "sync_url", "http://host:8080"),
    ("store = 5", "store", "text"),
    ('store = "maoxian counter"', "store", "capital letters"),
    ("scale_formats = [13]", "scale_formats", "text"),
    ('cash_drawer = "yes"', "cash_drawer", "true or false"),
    ("wedge_min_length = 0", "wedge_min_length", "from 1 to 64"),
])
def test_a_bad_value_is_refused_naming_its_key(tmp_path: Path, line: str, key: str, words: str) -> None:
    err = refused(tmp_path, line + "\n")
    assert key in err.message and words in err.message
    assert key in err.message_zh
    assert "\n" not in err.message
    assert err.details.get("key") == key


def test_the_chinese_message_says_what_the_value_is(tmp_path: Path) -> None:
    err = refused(tmp_path, "timezone_offset_hours = 99\n")
    assert "-12 到 14" in err.message_zh and "99" in err.message_zh


def test_the_languages_are_the_tills_translations() -> None:
    assert LANGUAGES == ("zh_CN", "en")
    assert typed_setting("language", "EN") == "en"


def test_the_command_line_and_environment_are_checked_like_the_file(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ConfigError, match="db"):
        load_config(db="")
    monkeypatch.setenv("POS_DB", str(tmp_path))
    with pytest.raises(ConfigError, match="folder"):
        load_config()


def test_a_folder_as_config_file_is_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file .*folder"):
        load_config(tmp_path, db=tmp_path / "t.db")


def test_a_config_file_in_another_encoding_is_cannot_read(tmp_path: Path) -> None:
    file = tmp_path / "gbk.toml"
    file.write_bytes('store = "茂县"\n'.encode("gb18030"))
    with pytest.raises(ConfigError, match="cannot read config file .*UTF-8"):
        load_config(file, db=tmp_path / "t.db")


def test_unknown_keys_are_named(tmp_path: Path) -> None:
    err = refused(tmp_path, "timezone = 8\n")
    assert "timezone" in err.message


def test_a_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope.toml")
