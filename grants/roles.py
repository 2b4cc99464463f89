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


def remember_roles(user) -> list:
    """Read the signed-in user's fund roles once for the request (the middleware does it: the
    user object lives for one request). A page's role checks then cost no query each."""
    user._held_roles = _load_roles(user)
    return user._held_roles


def held_roles(user) -> list:
    """The user's fund roles, each with its fund's `second_factor_roles`: remembered for the
    request, else read now (services called outside a request always see the current roles)."""
    held = getattr(user, "_held_roles", None)
    return held if held is not None else _load_roles(user)


def _load_roles(user) -> list:
    from django.db.models import F

    from .models import FundRole

    if not user.is_authenticated:
        return []
    return list(FundRole.objects.filter(user=user).annotate(second_factor_roles=F("fund__second_factor_roles")))


def has_fund_role(user, fund, *roles, voting=False) -> bool:
    """Whether the user holds one of `roles` in the fund (with a voting right, if asked)."""
    return any(
        held.fund_id == fund.pk and held.role in roles and (held.has_vote or not voting) for held in held_roles(user)
    )


def fund_roles_held(user, fund, roles) -> set[str]:
    """Which of `roles` the user holds in the fund."""
    return {held.role for held in held_roles(user) if held.fund_id == fund.pk and held.role in roles}


def roles_of(user) -> UserRoles:
    """Say which parts of the portal a user may use (worked out once per user object)."""
    cached = getattr(user, "_roles", None)
    if cached is not None:
        return cached
    fund_roles = {held.role for held in held_roles(user)}
    user._roles = UserRoles(
        applicant=user.organisations.exists(),
        office=OFFICE in fund_roles,
        steering=bool(fund_roles & set(STEERING)),
        admin=ADMIN in fund_roles or user.is_superuser,
    )
    return user._roles
