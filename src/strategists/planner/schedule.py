"""The planner's periodic job: a plan run whose worker died is marked failed."""

JOBS = [(60, "strategists.planner.services.runs_fail_stale")]
