from django.http import Http404, HttpRequest, HttpResponse


def pupil_list(request: HttpRequest) -> HttpResponse:
    raise Http404


def pupil_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404


def pupil_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    raise Http404
