"""The goals app: progress toward the target of certified strategists, the forecast, the dashboard."""
