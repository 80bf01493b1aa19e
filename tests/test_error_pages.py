"""The server error page: Django renders it with no request and no language, so it speaks both."""

from django.test import RequestFactory
from django.views.defaults import server_error


def test_the_server_error_page_speaks_norwegian_and_english_each_marked():
    response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="nb">' in html and "Noe gikk galt" in html
    english = html.split('<section lang="en"', 1)[1]
    assert "Something went wrong" in english and "Go to the front page" in english
