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

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parents[1] / "resources" / "i18n"
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES = ("zh_CN", "en")

_state: dict[str, object] = {"language": DEFAULT_LANGUAGE, "translator": None, "qt": None}


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
    _qt_dialogs_in(lang)
    return lang


def _qt_dialogs_in(lang: str) -> None:
    """Qt's own dialogs (the save dialog an export opens, the print preview) in Chinese for a Chinese
    UI, from the qtbase translation shipped with PySide6; English needs none."""
    app = QCoreApplication.instance()
    old = _state.get("qt")
    if isinstance(old, QTranslator) and app is not None:
        app.removeTranslator(old)
    _state["qt"] = None
    if app is not None and lang == DEFAULT_LANGUAGE:
        qt = QTranslator(app)
        if qt.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            app.installTranslator(qt)
            _state["qt"] = qt


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
    _qt_dialogs_in(DEFAULT_LANGUAGE)


def current_language() -> str:
    return str(_state["language"])


def is_chinese() -> bool:
    return current_language() == DEFAULT_LANGUAGE


def translate(context: str, text: str) -> str:
    """``QCoreApplication.translate`` for module-level code (widgets use ``self.tr``)."""
    return QCoreApplication.translate(context, text)
