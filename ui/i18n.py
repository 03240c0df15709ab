"""Translations: the UI is written in Chinese (zh_CN, no translator); English loads a .qm file.

Widgets wrap their strings in ``self.tr("…")``; module-level code uses :func:`translate` with a
literal context. After changing strings::

    .venv/bin/pyside6-lupdate ui/*.py -ts resources/i18n/lianxin_en.ts -no-obsolete
    # translate the new <message>s (type="unfinished") in the .ts, then
    .venv/bin/pyside6-lrelease resources/i18n/lianxin_en.ts -qm resources/i18n/lianxin_en.qm

``tests/ui/test_app_and_login.py`` fails while a string has no English translation.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parents[1] / "resources" / "i18n"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")

_state: dict[str, object] = {"language": DEFAULT_LANGUAGE, "translator": None}


def normalize_language(language: str | None) -> str:
    """``None``/``zh``/``zh_CN`` -> ``zh_CN``; ``en``/``en_US`` -> ``en``; anything else -> zh_CN."""
    if not language:
        return DEFAULT_LANGUAGE
    key = language.replace("-", "_").lower()
    return "en" if key.startswith("en") else DEFAULT_LANGUAGE


def install_language(language: str | None) -> str:
    """Install the translator for ``language`` on the running application; return the language used.

    zh_CN needs no translator (the source strings are Chinese). A missing .qm file falls back to
    Chinese rather than failing to start.
    """
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("create the QApplication before installing a language")
    remove_language()
    lang = normalize_language(language)
    if lang != DEFAULT_LANGUAGE:
        translator = QTranslator(app)
        if translator.load(f"lianxin_{lang}", str(I18N_DIR)):
            app.installTranslator(translator)
            _state["translator"] = translator
        else:
            lang = DEFAULT_LANGUAGE
    _state["language"] = lang
    _set_locale(lang)
    return lang


def _set_locale(lang: str) -> None:
    """Dates, calendars and numbers that Qt draws itself (a date picker's month names and weekdays)
    follow the UI language, not the machine's."""
    if lang == DEFAULT_LANGUAGE:
        QLocale.setDefault(QLocale("zh_CN"))
    else:
        QLocale.setDefault(QLocale("en_US"))


def remove_language() -> None:
    """Back to Chinese (the source language)."""
    translator = _state.get("translator")
    app = QCoreApplication.instance()
    if isinstance(translator, QTranslator) and app is not None:
        app.removeTranslator(translator)
    _state["translator"] = None
    _state["language"] = DEFAULT_LANGUAGE
    _set_locale(DEFAULT_LANGUAGE)


def current_language() -> str:
    return str(_state["language"])


def is_chinese() -> bool:
    return current_language() == DEFAULT_LANGUAGE


def translate(context: str, text: str) -> str:
    """``QCoreApplication.translate`` for module-level code (widgets use ``self.tr``)."""
    return QCoreApplication.translate(context, text)
