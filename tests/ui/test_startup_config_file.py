"""The start reads a plain config file without tomllib (pos.config.simple_toml); whatever it reads must be what
tomllib reads, and whatever it cannot read exactly is left to tomllib (None)."""

from __future__ import annotations

import tomllib

import pytest

from pos.config import load_config, simple_toml

READ_ALIKE = [
    "",
    "# only a comment\n\n",
    'printer = "dummy:"\ndevice_key = "/srv/till/device.key"\n',
    "store = 'MX'\r\nterminal = \"MX02\"\r\n",
    "paper_width = 58\ncash_drawer = false\nreceipt_logo = true\ntimezone_offset_hours = -5\nbackup_keep = 0\n",
    '  db = "/数据/连心.db"  \n\t# tabbed comment\nlanguage="en"',
    'receipts_dir = ""\nsync_url = \'http://ho.example:8000/\'\n',
]

LEFT_TO_TOMLLIB = [
    'printer = "a\\tb"',  # an escape
    'store = "MX" # trailing comment',
    "[devices]\nscale = 'x'",  # a table
    "scale_formats = ['13:20:FFCCCCCXXXXXK:amount:gs1']",  # an array
    "a.b = 1",  # a dotted key
    '"quoted key" = 1',
    "paper_width = 080",  # leading zero: refused by TOML
    "paper_width = 1_000",
    "paper_width = +5",
    "store = 'MX'\nstore = 'PM'",  # a repeated key: refused by TOML
    "store = MX",  # a bare word: refused by TOML
    "store =",
    "store",
    'store = "M\x01X"',  # a control character
    "store = 'MX'\rterminal = 'MX01'",  # a lone carriage return
]


@pytest.mark.parametrize("text", READ_ALIKE)
def test_a_plain_file_reads_as_tomllib_reads_it(text: str) -> None:
    assert simple_toml(text) == tomllib.loads(text)


@pytest.mark.parametrize("text", LEFT_TO_TOMLLIB)
def test_anything_else_is_left_to_tomllib(text: str) -> None:
    assert simple_toml(text) is None


def test_a_refused_file_still_names_the_fault(tmp_path, monkeypatch) -> None:
    from pos.config import ConfigError

    monkeypatch.setenv("LIANXIN_HOME", str(tmp_path))
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text("store = 'MX'\nstore = 'PM'\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config()


def test_a_plain_file_sets_the_till(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("LIANXIN_HOME", str(tmp_path))
    monkeypatch.delenv("POS_DB", raising=False)
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(
        'printer = "dummy:"\npaper_width = 58\ncash_drawer = false\n', encoding="utf-8")
    cfg = load_config()
    assert (cfg.printer, cfg.paper_width, cfg.cash_drawer) == ("dummy:", 58, False)
