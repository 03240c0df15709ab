"""The 临期 page's category settings, without Qt: days as people type them, what 保存 changes."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from pos.domain.errors import InvalidInput
from ui.presenters.stock_settings import CategoryChange, CategorySettingsPresenter, parse_near_days


@dataclass(frozen=True)
class Setting:  # the shape of pos.services.stock.CategorySetting
    category: str
    needs_certificate: bool
    needs_quarantine: bool
    near_days: int = 3
    explicit: bool = False


@pytest.mark.parametrize(("text", "days"), [("7", 7), (" 14 ", 14), ("１４", 14), ("30天", 30), ("0", 0), ("365", 365)])
def test_days_typed_as_people_type_them(text: str, days: int) -> None:
    assert parse_near_days(text) == days


@pytest.mark.parametrize(("text", "words"), [("", "请填写"), ("两周", "整数"), ("-1", "整数"), ("2.5", "整数"),
                                            ("366", "365"), ("1e3", "整数")])
def test_bad_days_are_refused_in_plain_words(text: str, words: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_near_days(text)
    assert words in err.value.message_zh


def presenter() -> CategorySettingsPresenter:
    p = CategorySettingsPresenter()
    p.shown([Setting("水果", True, False), Setting("牛肉", True, True, 2, True), Setting("干货", False, False, 30, True)])
    return p


def test_nothing_selected_means_nothing_to_save() -> None:
    with pytest.raises(InvalidInput) as err:
        presenter().change("7", False, False)
    assert "选择" in err.value.message_zh


def test_a_default_row_saved_as_it_is_becomes_the_managers_setting() -> None:
    p = presenter()
    p.select(0)
    assert p.change("3", True, False) == CategoryChange("水果", 3, True, False)


def test_only_what_changed_is_sent_and_an_unchanged_row_sends_nothing() -> None:
    p = presenter()
    p.select(1)
    assert p.change("2", True, True).empty
    assert p.change("5", True, True) == CategoryChange("牛肉", near_days=5)
    assert p.change("2", True, False) == CategoryChange("牛肉", needs_quarantine=False)


def test_quarantine_asks_for_a_certificate_too() -> None:
    p = presenter()
    p.select(2)
    assert p.change("30", False, True) == CategoryChange("干货", needs_certificate=True, needs_quarantine=True)


def test_the_selection_follows_its_category_when_the_rows_come_again() -> None:
    p = presenter()
    p.select(2)
    p.shown([Setting("干货", False, False, 10, True), Setting("水果", True, False)])
    assert p.current is not None and p.current.category == "干货" and p.current.near_days == 10
    p.shown([Setting("水果", True, False)])
    assert p.current is None
    assert p.select(5) is None
