"""The imports app's periodic job: uploaded files nobody confirmed are dropped after a day."""

JOBS = [
    (3600, "strategists.imports.services.imports_purge_stale"),
]
