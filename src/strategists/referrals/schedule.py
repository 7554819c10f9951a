JOBS = [(3600, "strategists.referrals.services.questions_escalate_due")]
