from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import PreferenceForm
from .models import NotificationPreference


@login_required
def preference(request):
    """Routine notices at once or as a daily digest; decisions and other letters always at once."""
    current = NotificationPreference.objects.filter(user=request.user).first() or NotificationPreference(
        user=request.user
    )
    form = PreferenceForm(request.POST if request.method == "POST" else None, instance=current)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your choice is saved."))
        return redirect("notification_preference")
    return render(request, "notifications/preference.html", {"form": form})
