from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from strategists.accounts.models import City, ExpertProfile, Language, Organization, User
from strategists.accounts.tokens import email_verification_token
from strategists.common.mail import mail_person


@transaction.atomic
def user_signup(*, email: str, name: str, password: str, city: City | None = None,
                preferred_language: str = "en") -> User:
    user = User.objects.create_user(
        email=email, password=password, name=name, city=city, preferred_language=preferred_language
    )
    if preferred_language in {"en", "es", "fr"}:
        user.languages.add(*Language.objects.filter(code=preferred_language))
    verification_email_send(user=user)
    return user


def verification_link(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_verification_token.make_token(user)
    path = reverse("accounts:verify", kwargs={"uidb64": uid, "token": token})
    return f"{settings.PUBLIC_URL}{path}"


def verification_email_send(*, user: User) -> None:
    mail_person(user, template="accounts/mail/verify", kind="verify",
                context={"user": user, "link": verification_link(user)})


@transaction.atomic
def user_verify_email(*, user: User, token: str) -> bool:
    """True when the link was valid and the address is now confirmed. A used link no longer
    checks out (the token covers `email_verified_at`), so it can't sign anyone in twice."""
    if user.is_verified or not email_verification_token.check_token(user, token):
        return False
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    return True


@transaction.atomic
def user_update_profile(*, user: User, name: str, pronouns: str, city: City | None,
                        languages, preferred_language: str, organization: Organization | None,
                        role: str) -> User:
    user.name = name
    user.pronouns = pronouns
    user.city = city
    user.preferred_language = preferred_language
    user.organization = organization
    user.role = role
    user.save()
    user.languages.set(languages)
    return user


@transaction.atomic
def expert_profile_save(*, user: User, skill_areas, home_city: City, languages, availability: str,
                        max_trainings_per_year: int, answers_questions: bool, mentors: bool,
                        bio: str = "", available_from=None, available_until=None) -> ExpertProfile:
    profile, _ = ExpertProfile.objects.update_or_create(
        user=user,
        defaults={
            "home_city": home_city, "availability": availability,
            "max_trainings_per_year": max_trainings_per_year,
            "answers_questions": answers_questions, "mentors": mentors, "bio": bio,
            "available_from": available_from, "available_until": available_until,
            "is_active": True,
        },
    )
    profile.skill_areas.set(skill_areas)
    profile.languages.set(languages)
    return profile


@transaction.atomic
def organization_save(*, organization: Organization | None = None, name: str, type: str, parent=None,
                      city: City | None = None, website: str = "", host_emails=()) -> Organization:
    from django.utils.text import slugify

    organization = organization or Organization()
    organization.name, organization.type, organization.parent = name, type, parent
    organization.city, organization.website = city, website
    organization.region = city.region if city else organization.region
    if not organization.slug:
        base = slugify(name)[:180] or "organization"
        slug, n = base, 1
        while Organization.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        organization.slug = slug
    organization.save()
    organization.hosts.set(host_emails)
    return organization
