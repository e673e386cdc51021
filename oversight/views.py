from django.http import Http404, HttpRequest, HttpResponse


def access_log(request: HttpRequest) -> HttpResponse:
    raise Http404
