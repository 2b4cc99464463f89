"""Roles a user holds per fund, and the object permissions each role carries."""

from dataclasses import dataclass

OFFICE = "office"
MEMBER = "member"
CHAIR = "chair"
ADMIN = "admin"

# viewflow task permissions, granted per fund by accounts.backends.FundRoleBackend.
OFFICE_TASK = "grants.work_office_tasks"
ROLE_PERMISSIONS = {
    OFFICE: {OFFICE_TASK},
    MEMBER: set(),
    CHAIR: set(),
    ADMIN: set(),
}


@dataclass(frozen=True)
class UserRoles:
    applicant: bool
    office: bool
    steering: bool
    chair: bool
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
        steering=bool(fund_roles & {MEMBER, CHAIR}),
        chair=CHAIR in fund_roles,
        admin=ADMIN in fund_roles or user.is_superuser,
    )
    return user._roles
