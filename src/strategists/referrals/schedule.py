"""The directory's periodic job: unanswered questions are escalated every hour."""

JOBS = [(3600, "strategists.referrals.question_services.questions_escalate_due")]
