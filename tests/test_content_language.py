"""WCAG 2.1 3.1.2 (language of parts): the content is written in bokmål only, so in the English
interface every piece of it is marked lang="nb"; in bokmål nothing is marked."""

from django.template import Context, Template
from django.utils import translation


def test_content_is_marked_only_in_another_interface_language():
    template = Template(
        "{% load site_tags %}<p{% content_lang %}>Tekst</p> {{ place|content_span }}{{ blank|content_span }}"
    )
    context = Context({"place": "Kafé <Kraft>", "blank": ""})
    with translation.override("nb"):
        assert template.render(context) == "<p>Tekst</p> Kafé &lt;Kraft&gt;"
    with translation.override("en"):
        assert template.render(context) == '<p lang="nb">Tekst</p> <span lang="nb">Kafé &lt;Kraft&gt;</span>'
