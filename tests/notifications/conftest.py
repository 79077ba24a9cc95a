from __future__ import annotations

import array
import struct
from pathlib import Path

import pytest

from tests.factories import UserFactory


@pytest.fixture
def person(db):
    return UserFactory(language="de")


@pytest.fixture
def english_person(db):
    return UserFactory(language="en")


@pytest.fixture
def stranger(db):
    """Someone who must never see or touch `person`'s notifications."""
    return UserFactory(language="de")


@pytest.fixture
def person_client(client, person):
    client.force_login(person)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """Writes a GNU gettext catalogue (the format msgfmt produces) for `messages`."""
    catalogue = {"": "Content-Type: text/plain; charset=UTF-8\n", **messages}
    keys = sorted(catalogue)
    ids = strs = b""
    offsets = []
    for key in keys:
        key_bytes, value_bytes = key.encode(), catalogue[key].encode()
        offsets.append((len(ids), len(key_bytes), len(strs), len(value_bytes)))
        ids += key_bytes + b"\0"
        strs += value_bytes + b"\0"
    key_start = 7 * 4 + 16 * len(keys)
    value_start = key_start + len(ids)
    key_offsets, value_offsets = [], []
    for id_offset, id_length, str_offset, str_length in offsets:
        key_offsets += [id_length, id_offset + key_start]
        value_offsets += [str_length, str_offset + value_start]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        header
        + array.array("i", key_offsets).tobytes()
        + array.array("i", value_offsets).tobytes()
        + ids
        + strs
    )


@pytest.fixture
def german_catalogue(tmp_path, settings):
    """A German translation of the announcement subject, whatever the project's .po says.

    Changing LOCALE_PATHS makes Django drop its cached catalogues.
    """
    write_mo(
        tmp_path / "locale" / "de" / "LC_MESSAGES" / "django.mo",
        {"Announcement: %(title)s": "Ankündigung: %(title)s"},
    )
    settings.LOCALE_PATHS = [tmp_path / "locale"]


def announcement(**overrides) -> dict:
    return {"title": "Hacking starts", "body": "Doors open at nine.", **overrides}
