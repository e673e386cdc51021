from django.http import Http404, HttpRequest, HttpResponse


def import_upload(request: HttpRequest) -> HttpResponse:
    raise Http404


def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
