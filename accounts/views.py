from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from grants.archive import personal_data_archive


@login_required
def personal_data(request):
    """Everything stored about the signed-in person as a ZIP file (Art. 15 DSGVO), after a page that explains it."""
    if request.method == "POST":
        response = HttpResponse(personal_data_archive(request.user), content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="meine-daten.zip"'
        return response
    return render(request, "accounts/personal_data.html")
