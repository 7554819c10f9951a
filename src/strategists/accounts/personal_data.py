"""The person's profile, roles, applications and requests, for their data export. (Erasing them
is the deletion service itself: accounts.services.account_delete.)"""

from strategists.accounts.models import ExpertApplication, ExpertProfile, HostRequest, RoleGrant
from strategists.common.personal_data import isoformat, register


def _export(person) -> dict:
    profile = ExpertProfile.objects.filter(user=person).first()
    return {
        "profile": {
            "name": person.name,
            "email": person.email,
            "pronouns": person.pronouns,
            "city": str(person.city) if person.city_id else None,
            "street_address": person.street_address,
            "postal_code": person.postal_code,
            "languages": sorted(person.languages.values_list("code", flat=True)),
            "preferred_language": person.preferred_language,
            "organization": person.organization.name if person.organization_id else None,
            "role": person.role,
            "joined": isoformat(person.date_joined),
            "email_verified": isoformat(person.email_verified_at),
            "last_sign_in": isoformat(person.last_login),
        },
        "roles": [
            {
                "role": grant.role,
                "organization": grant.organization.name if grant.organization_id else None,
                "state": grant.state,
                "reason": grant.reason,
                "since": isoformat(grant.created_at),
                "changed": isoformat(grant.updated_at),
            }
            for grant in RoleGrant.objects.filter(user=person).select_related("organization")
        ],
        "expert_profile": None
        if profile is None
        else {
            "active": profile.is_active,
            "home_city": str(profile.home_city),
            "skill_areas": sorted(profile.skill_areas.values_list("id", flat=True)),
            "approved_areas": sorted(profile.approved_areas.values_list("id", flat=True)),
            "languages": sorted(profile.languages.values_list("code", flat=True)),
            "availability": profile.availability,
            "available_from": isoformat(profile.available_from),
            "available_until": isoformat(profile.available_until),
            "max_trainings_per_year": profile.max_trainings_per_year,
            "answers_questions": profile.answers_questions,
            "mentors": profile.mentors,
            "bio": profile.bio,
        },
        "expert_applications": [
            {
                "submitted": isoformat(application.created_at),
                "state": application.state,
                "areas": sorted(application.skill_areas.values_list("id", flat=True)),
                "experience": application.experience,
                "references": application.references,
                "organization": application.organization.name
                if application.organization_id
                else None,
                "decided": isoformat(application.decided_at),
                "message": application.message,
            }
            for application in ExpertApplication.objects.filter(user=person).select_related(
                "organization"
            )
        ],
        "host_requests": [
            {
                "submitted": isoformat(request.created_at),
                "organization": request.organization.name,
                "state": request.state,
                "message": request.message,
                "decided": isoformat(request.decided_at),
                "response": request.response,
            }
            for request in HostRequest.objects.filter(user=person).select_related("organization")
        ],
    }


register("account", exporter=_export, order=0)
