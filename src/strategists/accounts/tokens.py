"""Links sent by mail that work once: confirming an address, claiming an account."""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """A link that works once: verifying changes `email_verified_at`, which the hash covers."""

    key_salt = "strategists.accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_verified_at}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


class ClaimTokenGenerator(PasswordResetTokenGenerator):
    """The link that lets someone added at the door (or by a host or the API) set a password.
    It works once: setting the password changes the hash it covers, and so does confirming the
    address. It expires like a password-reset link (PASSWORD_RESET_TIMEOUT)."""

    key_salt = "strategists.accounts.ClaimTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.password}{user.email}{user.email_verified_at}{user.is_active}{timestamp}"


claim_token = ClaimTokenGenerator()
