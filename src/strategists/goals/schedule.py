"""Periodic jobs of the goals app, run by `strategists worker` (see strategists.common.schedule)."""

JOBS = [(300, "strategists.goals.tasks.refresh_forecast_soon")]
