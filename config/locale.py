from django.conf import settings
from django.utils import translation


def language_of(cookies: dict[str, str]) -> str:
    """The language of the switcher's cookie when the site offers it, else bokmål."""
    chosen = cookies.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def chosen_language(request) -> str:
    return language_of(request.COOKIES)


class ChosenLanguageMiddleware:
    """Norwegian unless the reader chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, giving an English
    browser English menus around Norwegian content; the municipality's default is bokmål.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.get("Vary", "")
        if "Cookie" not in patch:
            response["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response
