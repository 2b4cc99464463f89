from grants.roles import roles_of


def roles(request):
    """Expose what the signed-in user may do, for the navigation."""
    user = getattr(request, "user", None)  # absent when a request fails before the middleware (bad Host)
    if user is None or not user.is_authenticated:
        return {}
    return {"user_roles": roles_of(user)}
