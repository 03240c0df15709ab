"""Pure rules of the till. Imports only the standard library (a test enforces this)."""
