"""Roles a user holds per fund, and the object permissions each role carries."""

from dataclasses import dataclass

OFFICE = "office"
MEMBER = "member"
CHAIR = "chair"
DEPUTY_CHAIR = "deputy"
ADMIN = "admin"
STEERING = (MEMBER, CHAIR, DEPUTY_CHAIR)  # everyone who sits in the deciding body
PRESIDING = (CHAIR, DEPUTY_CHAIR)

# viewflow task permissions, granted per fund by accounts.backends.FundRoleBackend.
OFFICE_TASK = "grants.work_office_tasks"
ROLE_PERMISSIONS = {
    OFFICE: {OFFICE_TASK},
    MEMBER: set(),
    CHAIR: set(),
    DEPUTY_CHAIR: set(),
    ADMIN: set(),
}


@dataclass(frozen=True)
class UserRoles:
    """Which parts of the portal a user reaches, in any fund; what they may do in a
    particular fund is checked per fund by the services and selectors."""

    applicant: bool
    office: bool
    steering: bool
    admin: bool


def has_fund_role(user, fund, *roles, voting=False) -> bool:
    """Whether the user holds one of `roles` in the fund (with a voting right, if asked)."""
    held = fund.roles.filter(user=user, role__in=roles)
    return (held.filter(has_vote=True) if voting else held).exists()


def roles_of(user) -> UserRoles:
    """Say which parts of the portal a user may use (worked out once per user object)."""
    from .models import FundRole

    cached = getattr(user, "_roles", None)
    if cached is not None:
        return cached
    fund_roles = set(FundRole.objects.filter(user=user).values_list("role", flat=True))
    user._roles = UserRoles(
        applicant=user.organisations.exists(),
        office=OFFICE in fund_roles,
        steering=bool(fund_roles & set(STEERING)),
        admin=ADMIN in fund_roles or user.is_superuser,
    )
    return user._roles
