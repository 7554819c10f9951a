JOBS = [(3600, "strategists.referrals.question_services.questions_escalate_due")]
