from grants.roles import roles_of


def roles(request):
    """Expose what the signed-in user may do, for the navigation."""
    if not request.user.is_authenticated:
        return {}
    return {"user_roles": roles_of(request.user)}
