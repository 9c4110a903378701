"""Issue 8's bad files through the maintainer library (what the API, the app and `docs add` call):
each gets its own clear Dutch message, none raises anything else, and nothing indexed changes."""

from __future__ import annotations

import pytest

from assistant.library import Library, UploadError
from tests.badfiles import bad_files


def _snapshot(c) -> dict[str, tuple[str, int]]:
    return {d.document.doc_id: (d.version, d.chunk_count) for d in c.store.documents()}


@pytest.fixture
def library(fake_components, tiny_corpus):
    fake_components.indexer.sync_folder(tiny_corpus)
    return Library(fake_components)


def test_every_bad_file_gets_the_expected_outcome_and_nothing_indexed_changes(library, fake_components, tiny_corpus):
    before = _snapshot(fake_components)
    files_before = {p.name: p.read_bytes() for p in tiny_corpus.iterdir() if p.is_file()}
    accepted: list[str] = []
    messages: set[str] = set()
    for bad in bad_files(big_mb=51):  # just over the 50 MB default: the limit is what is tested
        try:
            result = library.add(bad.name, bad.payload())
        except UploadError as err:
            assert bad.outcome == "refused", (bad.case, err.message)
            assert err.status == bad.status, (bad.case, err.status, err.message)
            assert err.message and "Traceback" not in err.message
            messages.add(err.message)
            continue
        assert bad.outcome != "refused", (bad.case, result)
        if bad.outcome == "duplicate":
            assert result.status == "unchanged" and result.doc_id in accepted, bad.case
        else:
            assert result.status == "added" and result.chunks > 0, bad.case
            assert bool(result.warnings) == (bad.outcome == "warned"), (bad.case, result.warnings)
            accepted.append(result.doc_id)
    assert len(messages) >= 7  # each refusal says what is wrong with that file, not one generic text
    after = _snapshot(fake_components)
    assert {k: after[k] for k in before} == before  # what was indexed is untouched
    assert set(after) - set(before) == set(accepted)
    for name, data in files_before.items():
        assert (tiny_corpus / name).read_bytes() == data
    assert all("/" not in doc_id and ".." not in doc_id for doc_id in accepted)  # names sanitised
    hits = fake_components.retriever.retrieve("Woonstichting Noord levert de ruimte")
    assert hits and hits[0].doc_id == "afspraken.docx"  # the DOCX table text is searchable


def test_a_size_is_reported_as_a_file_manager_shows_it():
    import pytest

    from assistant.upload_checks import UploadError, check_size

    with pytest.raises(UploadError) as refused:
        check_size(62_900_000, 50)  # what Finder or Explorer calls 62,9 MB
    assert refused.value.status == 413 and "(62,9 MB; maximaal 50 MB)" in refused.value.message
    check_size(50_000_000, 50)  # exactly the limit is allowed
