from kb.indexer import retire_file


def test_removed_file_goes_to_the_trash_not_away(tmp_path):
    corpus, trash = tmp_path / "corpus", tmp_path / "trash"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "a.txt").write_text("inhoud", "utf-8")
    moved = retire_file(corpus, "sub/a.txt", trash)
    assert moved is not None and moved.read_text("utf-8") == "inhoud"
    assert not (corpus / "sub" / "a.txt").exists()


def test_no_file_or_a_path_outside_the_corpus_is_left_alone(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (tmp_path / "geheim.txt").write_text("x", "utf-8")
    assert retire_file(corpus, "bestaat-niet.txt", tmp_path / "trash") is None
    assert retire_file(corpus, "../geheim.txt", tmp_path / "trash") is None
    assert (tmp_path / "geheim.txt").exists()
