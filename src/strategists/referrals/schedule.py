"""The directory's periodic job: unanswered questions are escalated every hour."""

JOBS = [(3600, "strategists.referrals.services.questions_escalate_due")]
