"""LianXin POS (连心收银): the till's core — everything that is not Qt."""

__version__ = "0.1.0"
