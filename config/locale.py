from django.conf import settings
from django.utils import translation


class ChosenLanguageMiddleware:
    """Norwegian unless the reader chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, giving an English
    browser English menus around Norwegian content; the municipality's default is bokmål.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response
