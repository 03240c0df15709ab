"""Use cases of the till over a unit of work and small ports. The CLI and the Qt UI both call these."""
