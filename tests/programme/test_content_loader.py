from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from programme.content import ContentError
from programme.models import ProgrammePage
from tests.helpers import edit_yaml

pytestmark = pytest.mark.django_db


def test_programme_page_is_the_site_root_with_the_seed_text(client, programme):
    assert programme.get_site().root_page_id == programme.pk
    html = client.get("/").content.decode()
    assert "Formålet med programmet er å igangsette endringsprosesser og systemendringer" in html
    assert "Systeminnovasjon framfor enkeltprosjekt" in html
    assert "Unge uføre" in html
    # The 2019 employment figures, formatted the Norwegian way.
    for figure in ("64,6&nbsp;%", "67,1&nbsp;%", "68,0&nbsp;%", "2\xa0950&nbsp;personer"):
        assert figure in html, figure
    assert "Kommunikasjonfaglig kompetanse" in html
    assert "NAV Agder" in html
    assert "Å være pådriver for samarbeid med strategiske samarbeidsaktører" in html


def test_broken_data_file_names_file_and_entry_and_writes_nothing(data_dir, programme):
    def drop_role_name(data):
        del data["roles"][1]["name"]
        data["page"]["title"] = "Endret tittel som ikke skal lagres"

    edit_yaml(data_dir / "programme" / "programme.yaml", drop_role_name)
    with pytest.raises(ContentError) as error:
        call_command("load_programme", data_dir=data_dir, verbosity=0)
    assert "programme.yaml" in str(error.value)
    assert "roles[1]" in str(error.value)
    assert "name" in str(error.value)
    assert ProgrammePage.objects.get().title == "Flere i arbeid"


def test_invalid_yaml_is_reported_with_its_line(data_dir):
    (data_dir / "programme" / "programme.yaml").write_text("page: [unclosed\n", encoding="utf-8")
    with pytest.raises(ContentError, match=r"programme\.yaml.*linje"):
        call_command("load_programme", data_dir=data_dir, verbosity=0)


def test_changed_data_file_updates_the_page(data_dir, programme):
    edit_yaml(data_dir / "programme" / "programme.yaml", lambda data: data["page"].update(lead="Ny ingress"))
    call_command("load_programme", data_dir=data_dir, verbosity=0)
    programme.refresh_from_db()
    assert programme.lead == "Ny ingress"
    assert programme.live


def test_data_files_live_in_the_repository():
    assert (Path(settings.BASE_DIR) / "programme" / "data" / "programme.yaml").is_file()
