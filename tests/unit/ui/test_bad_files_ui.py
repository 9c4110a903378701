"""Issue 8's bad files through the app's upload (Beheer): every file gets its own clear Dutch
message, the app shows no exception, and nothing already indexed changes."""

from __future__ import annotations

from tests.badfiles import bad_files


def _button(at, label: str):
    return next(b for b in at.button if b.label == label)


def _snapshot(c) -> dict:
    return {d.document.doc_id: (d.version, d.chunk_count) for d in c.store.documents()}


def test_bad_files_through_the_beheer_page(app):
    before = _snapshot(app.components)
    at = app.start("beheer")
    for bad in bad_files(big_mb=51):  # just over the 50 MB default
        name = bad.name.replace("\0", "")  # a browser cannot send NUL in a file name either
        at.file_uploader[0].upload(name, bad.payload()).run()
        _button(at, "Toevoegen aan de kennisbank").click().run()
        assert not at.exception, (bad.case, at.exception)
        errors = [e.value for e in at.error]
        warnings = [w.value for w in at.warning]
        if bad.outcome == "refused":
            assert len(errors) == 1 and errors[0], (bad.case, errors)
        else:
            assert not errors, (bad.case, errors)
            assert bool(warnings) == (bad.outcome == "warned"), (bad.case, warnings)
            if bad.outcome == "duplicate":
                assert any("staat al in de kennisbank" in i.value for i in at.info), bad.case
    after = _snapshot(app.components)
    assert {k: after[k] for k in before} == before
    assert len(after) - len(before) == sum(b.outcome in ("accepted", "warned") for b in bad_files(big_mb=1))
