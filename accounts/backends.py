"""Object permissions from fund roles: viewflow asks `user.has_perm(perm, fund)`
before a member of a fund's office or steering group may claim a task."""

from grants.roles import ROLE_PERMISSIONS, has_fund_role


class FundRoleBackend:
    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user, perm, obj=None):
        from grants.models import Fund

        if obj is None or not isinstance(obj, Fund) or not user.is_active:
            return False
        return has_fund_role(user, obj, *[role for role, perms in ROLE_PERMISSIONS.items() if perm in perms])
