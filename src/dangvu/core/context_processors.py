from django.conf import settings


def dangvu(request):
    from dangvu import __version__

    return {"DANGVU_MODE": settings.MODE, "DANGVU_VERSION": __version__}
