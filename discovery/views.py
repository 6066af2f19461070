from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def search_list(request):
    return render(request, "discovery/search_list.html")
