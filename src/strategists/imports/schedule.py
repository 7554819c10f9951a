"""The imports app's periodic job: drops files nobody confirmed within a day, and fails the
imports a dead worker left behind."""

JOBS = [
    (3600, "strategists.imports.services.imports_purge_stale"),
]
